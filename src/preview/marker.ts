/** Sent by the preview server on every answer; the production bundle must not contain it (tests/build). */
export const PREVIEW_MARKER = 'tiller-preview/dev-host';
