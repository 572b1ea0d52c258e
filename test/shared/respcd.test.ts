import { describe, expect, it } from 'vitest';
import { classifyRespcd, describeRespcd, KNOWN_RESPCDS } from '../../shared/qfpay/respcd';

describe('respcd classification', () => {
  it.each([
    ['0000', 'success'],
    ['1143', 'pending'],
    ['1145', 'pending'],
    ['1298', 'confirm_by_query'],
    ['1297', 'confirm_by_query'],
    ['2011', 'confirm_by_query'],
    ['1102', 'confirm_by_query'],
    ['1294', 'never_retry'],
    ['1108', 'failed'],
    ['1181', 'failed'],
    ['1272', 'failed'],
    ['1265', 'failed'],
    ['9999', 'unknown_code'],
    ['', 'unknown_code'],
  ])('%s means %s', (code, outcome) => {
    expect(classifyRespcd(code)).toBe(outcome);
  });

  it('has words in both languages for every known code', () => {
    for (const info of KNOWN_RESPCDS) {
      expect(info.code).toMatch(/^\d{4}$/);
      expect(info.en.length).toBeGreaterThan(3);
      expect(info['zh-HK']).toMatch(/\p{Script=Han}/u);
    }
    expect(new Set(KNOWN_RESPCDS.map((info) => info.code)).size).toBe(KNOWN_RESPCDS.length);
  });

  it("says the refund refusals in words and names an unknown code", () => {
    expect(describeRespcd('1269', 'en')).toMatch(/unsettled/);
    expect(describeRespcd('1265', 'zh-HK')).toContain('23:30');
    expect(describeRespcd('4321', 'en')).toContain('4321');
    expect(describeRespcd('4321', 'zh-HK')).toContain('4321');
  });
});
