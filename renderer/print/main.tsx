// The print page (print.html): renders a report for printing to PDF or a chart for its PNG. No
// preload, no bridge: the printer (Electron's printToPDF or headless Chromium) calls
// window.enclavePrint.render and prints what it lays out.
import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/400-italic.css';
import '@fontsource/noto-sans/700.css';
import './print-page.css';
import { enclavePrint, type EnclavePrint } from './print-api';

declare global {
  interface Window {
    enclavePrint?: EnclavePrint;
  }
}

window.enclavePrint = enclavePrint;
