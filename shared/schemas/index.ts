export * from './common';
export * from './crm';
export * from './admin';
export * from './match';
export * from './toolkit';
export * from './imports';
export * from './answers';
export * from './field-errors';
