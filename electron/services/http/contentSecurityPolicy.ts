/**
 * The app's pages load only their own scripts and styles, draw the QR as a data: image, and talk
 * only to their own origin; served with every page by the app:// protocol and by web mode.
 */
export const APP_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
