/** XLSX writing without dependencies (the Worker, the add-ins and the CLI share it). */
export {
  writeXlsx,
  excelDateSerial,
  XLSX_CONTENT_TYPE,
  type XlsxCell,
  type XlsxColumn,
  type XlsxColumnType,
  type XlsxSheet,
  type XlsxTable,
  type XlsxWorkbook,
} from './workbook';
export { sheetNames, tableName, columnNames } from './names';
export {
  zip,
  unzip,
  crc32,
  findCentralDirectory,
  readCentralDirectory,
  entryDataOffset,
  type ZipEntry,
  type ZipDirectoryEntry,
  type UnzippedEntry,
} from './zip';
