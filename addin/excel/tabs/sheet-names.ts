// Excel sheet names: at most 31 characters, none of : \ / ? * [ ].
export function sheetName(...parts: string[]): string {
  return (
    parts
      .join(' ')
      .replace(/[:\\/?*[\]]/g, '-')
      .trim()
      .slice(0, 31) || 'Leadpane'
  );
}
