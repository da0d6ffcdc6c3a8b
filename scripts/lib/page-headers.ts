/**
 * Security headers for the pane pages: no inline scripts, the API on the same origin, Office.js
 * from Microsoft's CDN, framing only by Office on the web.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' https://appsforoffice.microsoft.com",
  // Fluent UI injects its styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self' https://*.officeapps.live.com https://*.office.com https://*.office365.com https://*.outlook.com https://*.microsoft.com https://*.sharepoint.com",
].join('; ');
// Files under /assets/ carry a content hash in their names (the icons change only with a release),
// so a pane opened again needs no round trip for them.
export const PAGE_HEADERS = `/*\n  Content-Security-Policy: ${CSP}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n`;
