import { describe, expect, it } from 'vitest';
import { formatHKD, MAX_TXAMT, minorToDecimal, parseAmount } from '../../shared/money';

describe('parseAmount', () => {
  it.each([
    ['12.3', 1230],
    ['12.30', 1230],
    ['12', 1200],
    ['12.', 1200],
    ['.5', 50],
    ['0.01', 1],
    ['0.29', 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ['1.15', 115], // and 1.15 * 100 is 114.99999999999999
    ['1,000', 100000],
    ['1,234,567.89', 123456789],
    ['0012', 1200],
    [' 7 ', 700],
    ['HK$5', 500],
    ['$5.5', 550],
    ['１２．３', 1230], // full-width, from a Chinese input method
    ['21474836.47', MAX_TXAMT],
  ])('reads %j as %i cents', (text, cents) => {
    expect(parseAmount(text)).toEqual({ ok: true, value: cents });
  });

  it.each([
    ['', 'amount_empty'],
    ['   ', 'amount_empty'],
    ['0', 'amount_zero'],
    ['0.00', 'amount_zero'],
    ['-5', 'amount_negative'],
    ['-0.01', 'amount_negative'],
    ['12.345', 'amount_too_many_decimals'],
    ['12.300', 'amount_too_many_decimals'],
    ['1,00', 'amount_bad_grouping'],
    ['12,34.5', 'amount_bad_grouping'],
    ['1,0000', 'amount_bad_grouping'],
    ['21474836.48', 'amount_too_large'],
    ['99999999999', 'amount_too_large'],
    ['1e3', 'amount_invalid'],
    ['abc', 'amount_invalid'],
    ['.', 'amount_invalid'],
    ['1.2.3', 'amount_invalid'],
    ['--1', 'amount_invalid'],
    ['NaN', 'amount_invalid'],
    ['Infinity', 'amount_invalid'],
    ['0x10', 'amount_invalid'],
    ['HK$', 'amount_invalid'],
  ])('refuses %j with %s', (text, error) => {
    expect(parseAmount(text)).toEqual({ ok: false, error });
  });

  it('reads back every amount it writes, exactly', () => {
    const samples = [...Array.from({ length: 20_000 }, (_, cents) => cents + 1), MAX_TXAMT, MAX_TXAMT - 1, 1_000_000_07];
    for (const cents of samples) {
      expect(parseAmount(minorToDecimal(cents))).toEqual({ ok: true, value: cents });
    }
  });
});

describe('minorToDecimal', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [1230, '12.30'],
    [-5, '-0.05'],
    [-123456, '-1234.56'],
  ])('writes %i cents as %s', (cents, text) => {
    expect(minorToDecimal(cents)).toBe(text);
  });

  it('refuses a fraction of a cent', () => {
    expect(() => minorToDecimal(12.5)).toThrow(RangeError);
  });
});

describe('formatHKD', () => {
  it('shows HK$ with two decimals in English and Chinese', () => {
    expect(formatHKD(123456, 'en')).toBe('HK$1,234.56');
    expect(formatHKD(123456, 'zh-HK')).toBe('HK$1,234.56');
    expect(formatHKD(5, 'en')).toBe('HK$0.05');
    expect(formatHKD(-1230, 'en')).toBe('-HK$12.30');
  });

  it('formats the largest amount without losing a cent', () => {
    expect(formatHKD(MAX_TXAMT, 'en')).toBe('HK$21,474,836.47');
  });
});
