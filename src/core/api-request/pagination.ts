/**
 * `--paginate`: GitHub's `Link: <…>; rel="next"` header leads from page to
 * page; the pages' items become one JSON array.
 */

/** The `rel="next"` target of a Link header, or null. */
export function nextPageLink(link: string | undefined): string | null {
  if (link === undefined) return null;
  const part = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;
  for (let match = part.exec(link); match !== null; match = part.exec(link)) {
    const params = match[2] as string;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const values = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/);
    if (values.includes("next")) return match[1] as string;
  }
  return null;
}

/** Asks for 100 items a page (GitHub's maximum) unless the caller chose a size, as gh does: fewer requests. */
export function withLargestPages(url: URL): URL {
  if (url.searchParams.has("per_page")) return url;
  const next = new URL(url);
  next.searchParams.set("per_page", "100");
  return next;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys beside the list in GitHub's wrapped lists, which tell nothing about any one item. */
const LIST_METADATA = new Set(["total_count", "incomplete_results", "repository_selection"]);

/**
 * The items of one page. Most list endpoints answer an array. Search
 * (`items`) and a few others (`workflow_runs`, `repositories`, …) wrap it in
 * an object with `total_count`: their one array is the page's items. Any
 * other page is one item itself.
 */
export function pageItems(page: unknown): unknown[] {
  if (Array.isArray(page)) return page;
  if (isRecord(page) && "total_count" in page) {
    const lists = Object.keys(page).filter((key) => !LIST_METADATA.has(key));
    const [only] = lists;
    if (only !== undefined && lists.length === 1 && Array.isArray(page[only])) return page[only];
  }
  return [page];
}

export function mergePages(pages: readonly unknown[]): unknown[] {
  return pages.flatMap((page) => pageItems(page));
}
