// Native charts in a downloaded .xlsx. exceljs writes no charts, so the workbook it wrote is opened
// again and given, per sheet with charts, a drawing part anchoring one DrawingML chart part per
// chart: the same charts the pane made with addChart (Excel draws them from the sheet's cells;
// each series also carries its cached values for viewers that do not recompute).
import { unzip, zip } from '../../shared/xlsx/zip';
import { columnLetters, parseRange } from './a1';
import type { CellValue, ChartKind, Matrix } from './types';

export interface SheetCharts {
  /** 0-based position of the sheet in the workbook (exceljs names its part sheet<index + 1>.xml). */
  index: number;
  name: string;
  values: Matrix;
  charts: Array<{ kind: ChartKind; source: string; title?: string; name?: string }>;
}

const NS = {
  c: 'http://schemas.openxmlformats.org/drawingml/2006/chart',
  a: 'http://schemas.openxmlformats.org/drawingml/2006/main',
  r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  xdr: 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing',
  pkg: 'http://schemas.openxmlformats.org/package/2006/relationships',
  drawingRel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing',
  chartRel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart',
};
const DRAWING_TYPE = 'application/vnd.openxmlformats-officedocument.drawing+xml';
const CHART_TYPE = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An absolute reference for a chart formula: 'My sheet'!$A$1:$B$5. */
export function absoluteRef(sheet: string, row: number, col: number, rows: number, cols: number): string {
  const cell = (r: number, c: number) => `$${columnLetters(c)}$${r + 1}`;
  const end = rows === 1 && cols === 1 ? '' : `:${cell(row + rows - 1, col + cols - 1)}`;
  return `'${sheet.replace(/'/g, "''")}'!${cell(row, col)}${end}`;
}

const cellAt = (values: Matrix, r: number, c: number): CellValue => values[r]?.[c] ?? null;

/** One chart part: the source block's first column gives the categories, each further column a series named by its header. */
export function chartXml(sheet: string, values: Matrix, chart: SheetCharts['charts'][number]): string {
  const box = parseRange(chart.source);
  const points = Math.max(0, box.rows - 1);
  const catRef = absoluteRef(sheet, box.row + 1, box.col, Math.max(1, points), 1);
  const strCache = (cells: CellValue[]) =>
    `<c:strCache><c:ptCount val="${cells.length}"/>${cells.map((v, i) => `<c:pt idx="${i}"><c:v>${esc(String(v ?? ''))}</c:v></c:pt>`).join('')}</c:strCache>`;
  const numCache = (cells: CellValue[]) =>
    `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${cells.length}"/>${cells
      .map((v, i) => (typeof v === 'number' && Number.isFinite(v) ? `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>` : ''))
      .join('')}</c:numCache>`;
  const categories = Array.from({ length: points }, (_, i) => cellAt(values, box.row + 1 + i, box.col));
  const series = Array.from({ length: Math.max(1, box.cols - 1) }, (_, s) => {
    const col = box.col + 1 + s;
    const name = cellAt(values, box.row, col);
    const data = Array.from({ length: points }, (_, i) => cellAt(values, box.row + 1 + i, col));
    const tx = `<c:tx><c:strRef><c:f>${esc(absoluteRef(sheet, box.row, col, 1, 1))}</c:f>${strCache([name])}</c:strRef></c:tx>`;
    const cat = `<c:cat><c:strRef><c:f>${esc(catRef)}</c:f>${strCache(categories)}</c:strRef></c:cat>`;
    const val = `<c:val><c:numRef><c:f>${esc(absoluteRef(sheet, box.row + 1, col, Math.max(1, points), 1))}</c:f>${numCache(data)}</c:numRef></c:val>`;
    const head = `<c:idx val="${s}"/><c:order val="${s}"/>${tx}`;
    if (chart.kind === 'line') return `<c:ser>${head}<c:marker><c:symbol val="circle"/></c:marker>${cat}${val}<c:smooth val="0"/></c:ser>`;
    if (chart.kind === 'pie') return `<c:ser>${head}${cat}${val}</c:ser>`;
    return `<c:ser>${head}<c:invertIfNegative val="0"/>${cat}${val}</c:ser>`;
  }).join('');
  const axes =
    '<c:axId val="500000001"/><c:axId val="500000002"/>' +
    '</GROUP>' +
    `<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="${chart.kind === 'bar' ? 'l' : 'b'}"/><c:crossAx val="500000002"/></c:catAx>` +
    `<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="${chart.kind === 'bar' ? 'b' : 'l'}"/><c:majorGridlines/><c:crossAx val="500000001"/></c:valAx>`;
  const plot =
    chart.kind === 'pie'
      ? `<c:pieChart><c:varyColors val="1"/>${series}<c:firstSliceAng val="0"/></c:pieChart>`
      : chart.kind === 'line'
        ? `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/>${axes.replace('</GROUP>', '</c:lineChart>')}`
        : `<c:barChart><c:barDir val="${chart.kind === 'bar' ? 'bar' : 'col'}"/><c:grouping val="clustered"/><c:varyColors val="0"/>${series}<c:gapWidth val="150"/>${axes.replace('</GROUP>', '</c:barChart>')}`;
  const title = chart.title
    ? `<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>${esc(chart.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>`
    : '<c:autoTitleDeleted val="1"/>';
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<c:chartSpace xmlns:c="${NS.c}" xmlns:a="${NS.a}" xmlns:r="${NS.r}"><c:roundedCorners val="0"/>` +
    `<c:chart>${title}<c:plotArea><c:layout/>${plot}</c:plotArea><c:legend><c:legendPos val="${chart.kind === 'pie' ? 'r' : 'b'}"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/></c:chart>` +
    `</c:chartSpace>`
  );
}

/** The drawing part of a sheet: each chart anchored beside its source block, 8 columns by 15 rows. */
function drawingXml(charts: SheetCharts['charts'], firstId: number): string {
  const anchors = charts.map((chart, i) => {
    const box = parseRange(chart.source);
    const col = box.col + box.cols + 1;
    const marker = (c: number, r: number) =>
      `<xdr:col>${c}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${r}</xdr:row><xdr:rowOff>0</xdr:rowOff>`;
    return (
      `<xdr:twoCellAnchor editAs="oneCell"><xdr:from>${marker(col, box.row)}</xdr:from><xdr:to>${marker(col + 8, box.row + 15)}</xdr:to>` +
      `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${firstId + i + 1}" name="${esc(chart.name ?? `Chart ${i + 1}`)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
      `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${NS.c}"><c:chart xmlns:c="${NS.c}" r:id="rId${i + 1}"/></a:graphicData></a:graphic>` +
      `</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
    );
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="${NS.xdr}" xmlns:a="${NS.a}" xmlns:r="${NS.r}">${anchors.join('')}</xdr:wsDr>`;
}

const rels = (items: Array<{ id: string; type: string; target: string }>) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkg}">${items
    .map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${r.target}"/>`)
    .join('')}</Relationships>`;

/** The worksheet parts of a package by sheet name, from xl/workbook.xml and its relationships. */
function sheetParts(parts: Map<string, string>): Map<string, string> {
  const workbook = parts.get('xl/workbook.xml') ?? '';
  const wbRels = parts.get('xl/_rels/workbook.xml.rels') ?? '';
  const targets = new Map<string, string>();
  for (const m of wbRels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.replace(/^\/?xl\//, '').replace(/^\//, ''));
  }
  const out = new Map<string, string>();
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const id = /\br:id="([^"]+)"/.exec(m[0])?.[1];
    const unescaped = name
      ?.replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    if (unescaped !== undefined && id && targets.has(id)) out.set(unescaped, `xl/${targets.get(id)!}`);
  }
  return out;
}

/** Elements a worksheet may hold after <drawing>, in schema order: the drawing goes before the first present. */
const AFTER_DRAWING = [
  '<legacyDrawing',
  '<legacyDrawingHF',
  '<drawingHF',
  '<picture',
  '<oleObjects',
  '<controls',
  '<webPublishItems',
  '<tableParts',
  '<extLst',
  '</worksheet>',
];

/** Adds the charts to an .xlsx written by exceljs; answers the new package. */
export async function addCharts(xlsx: Uint8Array, sheets: SheetCharts[]): Promise<Uint8Array> {
  const entries = await unzip(xlsx);
  const text = new Map<string, string>();
  const decoder = new TextDecoder();
  for (const [name, { data }] of entries) if (/\.(xml|rels)$/.test(name)) text.set(name, decoder.decode(data));
  const partOf = sheetParts(text);
  let types = text.get('[Content_Types].xml') ?? '';
  let chartNo = 0;
  let drawingNo = 0;
  for (const sheet of sheets) {
    const part = partOf.get(sheet.name);
    if (!part || !text.has(part)) continue;
    drawingNo++;
    const drawing = `xl/drawings/drawing${drawingNo}.xml`;
    const chartRels: Array<{ id: string; type: string; target: string }> = [];
    sheet.charts.forEach((chart, i) => {
      chartNo++;
      const path = `xl/charts/chart${chartNo}.xml`;
      text.set(path, chartXml(sheet.name, sheet.values, chart));
      chartRels.push({ id: `rId${i + 1}`, type: NS.chartRel, target: `../charts/chart${chartNo}.xml` });
      types = types.replace('</Types>', `<Override PartName="/${path}" ContentType="${CHART_TYPE}"/></Types>`);
    });
    text.set(drawing, drawingXml(sheet.charts, 1));
    text.set(`xl/drawings/_rels/drawing${drawingNo}.xml.rels`, rels(chartRels));
    types = types.replace('</Types>', `<Override PartName="/${drawing}" ContentType="${DRAWING_TYPE}"/></Types>`);

    const relsPath = part.replace(/([^/]+)$/, '_rels/$1.rels');
    const existing = text.get(relsPath);
    const relId = `rIdLpDrawing${drawingNo}`;
    const relation = `<Relationship Id="${relId}" Type="${NS.drawingRel}" Target="../drawings/drawing${drawingNo}.xml"/>`;
    text.set(
      relsPath,
      existing
        ? existing.replace('</Relationships>', `${relation}</Relationships>`)
        : rels([{ id: relId, type: NS.drawingRel, target: `../drawings/drawing${drawingNo}.xml` }]),
    );
    let xml = text.get(part)!;
    if (!/xmlns:r="/.test(xml.slice(0, xml.indexOf('>', xml.indexOf('<worksheet')))))
      xml = xml.replace('<worksheet', `<worksheet xmlns:r="${NS.r}"`);
    const at = Math.min(...AFTER_DRAWING.map((tag) => xml.indexOf(tag)).filter((i) => i >= 0));
    text.set(part, `${xml.slice(0, at)}<drawing r:id="${relId}"/>${xml.slice(at)}`);
  }
  text.set('[Content_Types].xml', types);
  const encoder = new TextEncoder();
  const order = [...entries.keys(), ...[...text.keys()].filter((k) => !entries.has(k))];
  return zip(order.map((path) => ({ path, data: text.has(path) ? encoder.encode(text.get(path)!) : entries.get(path)!.data })));
}
