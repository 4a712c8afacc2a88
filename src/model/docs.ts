/** Where the docs live once published; SARIF and reporters link to it. */
export const DOCS_BASE_URL = 'https://github.com/choreolint/choreolint/blob/main/';

export function docsUrl(path: string): string {
  return DOCS_BASE_URL + path;
}
