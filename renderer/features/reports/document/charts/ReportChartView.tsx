import type { ReportChart } from '../../../../../common/report/report-document';
import { HistogramChart } from './HistogramChart';
import { LinesChart } from './LinesChart';
import { TornadoChart } from './TornadoChart';

/** A report chart as vector SVG: what the PDF embeds as paths and text, never a picture. */
export function ReportChartView({ chart, title }: { chart: ReportChart; title: string }) {
  switch (chart.kind) {
    case 'lines':
      return <LinesChart chart={chart} title={title} />;
    case 'histogram':
      return <HistogramChart chart={chart} title={title} />;
    case 'tornado':
      return <TornadoChart chart={chart} title={title} />;
  }
}
