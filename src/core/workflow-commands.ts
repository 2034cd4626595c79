/**
 * GitHub Actions workflow commands (`::warning title=...::message`), escaped
 * the way the runner unescapes them: `%`, CR and LF everywhere, and `:` and
 * `,` in property values, which would otherwise end the property.
 */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export type AnnotationLevel = "error" | "warning" | "notice";

export function annotation(
  level: AnnotationLevel,
  properties: Readonly<Record<string, string>>,
  message: string,
): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(",");
  return `::${level}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}
