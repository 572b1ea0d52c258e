/**
 * What a key press came from. Text fields keep their keys. A focused button (Manager, 中文, a
 * wallet, a keypad key, an alert's button) does its own action on Enter, so Enter charges only from
 * the amount entry or when nothing in particular has focus. The Alipay region's radio inputs have
 * no Enter of their own: they stay in the amount flow, so digits, Enter and F-keys work there too.
 */
export function keySource(target: EventTarget | null): 'entry' | 'control' | 'text' {
  if (!(target instanceof Element)) return 'entry';
  if (target instanceof HTMLInputElement) return target.type === 'radio' ? 'entry' : 'text';
  if (target.closest('textarea, select, [contenteditable="true"]')) return 'text';
  if (target.closest('button, a[href], summary, [role="button"], [role="radio"], [role="tab"], [role="link"], [role="checkbox"]')) return 'control';
  return 'entry';
}
