/**
 * Whether an address or name never leaves this computer: 127.0.0.0/8, ::1 (also IPv4-mapped, or in
 * a URL's brackets) and localhost. One rule for what may stay plain text: web mode's screens and
 * the head office link.
 */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.replace(/^\[|\]$/g, '').toLowerCase().replace(/^::ffff:/, '');
  return plain === '::1' || plain === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}
