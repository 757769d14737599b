// report.html, report.md and the dataset card, all from one ReportData.
export * from './types';
export { renderReportHtml, CHART_IDS } from './html';
export { renderReportMarkdown } from './markdown';
export { renderDatasetCard, cardFrontMatter, sizeCategory } from './card';
export type { CardOptions } from './card';
export { histogram, escapeHtml } from './format';
