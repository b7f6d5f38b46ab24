import type { ExportedBundle } from '../../state/bundle-export-state';
import { ModelBanner } from '../library/ModelBanner';

const size = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KiB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The bundle written to the outbox: what to carry, and what the receiving side will check it by. */
export function ExportResult({ result }: { result: ExportedBundle }) {
  return (
    <div className="import-outcome" role="status" data-testid="bundle-exported">
      <p className="notice-ok">
        Signed and written: {result.records === 1 ? 'one record' : `${result.records} records`}. Carry the file (
        {result.parts === 1 ? 'one file' : `${result.parts} parts, in order`}) to the other network.
      </p>
      <dl className="bundle-facts">
        <dt>File</dt>
        <dd data-testid="bundle-exported-name">{result.fileName}</dd>
        <dt>Written to</dt>
        <dd>
          <code data-testid="bundle-exported-path">{result.path}</code>
        </dd>
        <dt>Size</dt>
        <dd data-testid="bundle-exported-size">
          {size(result.bytes)} ({result.bytes.toLocaleString('en-US')} bytes)
          {result.parts > 1 ? `, in ${result.parts} parts` : ''}
        </dd>
        <dt>SHA-256</dt>
        <dd>
          <code data-testid="bundle-exported-sha256">{result.fileSha256}</code>
        </dd>
        <dt>Channel</dt>
        <dd>
          {result.channel}, bundle number <span data-testid="bundle-exported-sequence">{result.sequence}</span>
        </dd>
        <dt>Banner</dt>
        <dd data-testid="bundle-exported-banner">
          <ModelBanner banner={result.banner} />
        </dd>
        <dt>Bundle id</dt>
        <dd>
          <code>{result.bundleId}</code>
        </dd>
      </dl>
    </div>
  );
}
