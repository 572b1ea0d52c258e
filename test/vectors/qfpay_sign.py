# Independent signing vectors: QFPay's own Python sample (seed 000 / 004, make_req_sign) run as is,
# plus the same procedure with SHA256. Run: python3 test/vectors/qfpay_sign.py
import hashlib

def make_req_sign(data, key):  # verbatim from QFPay's sample, MD5
    keys = list(data.keys())
    keys.sort()
    p = []
    for k in keys:
        v = data[k]
        p.append('%s=%s' % (k, v))
    unsign_str = ('&'.join(p) + key).encode("utf-8")
    s = hashlib.md5(unsign_str).hexdigest()
    return s.upper()

def make_req_sign_sha256(data, key):  # the same with SHA256, as the guide's step 4 allows
    unsign_str = ('&'.join('%s=%s' % (k, data[k]) for k in sorted(data)) + key).encode("utf-8")
    return hashlib.sha256(unsign_str).hexdigest().upper()

cases = {
    'seed000_request': ({'expired_time': '10', 'goods_name': 'qfpay', 'limit_pay': 'no_credit', 'mchid': 'R1zQrTdJnn',
                         'out_trade_no': 'Native20190722145741431794b8d1', 'pay_type': '800201', 'txamt': '20',
                         'txcurrcd': 'HKD', 'txdtm': '2019-07-22 14:57:42', 'udid': 'AA'},
                        'F644B1389AD24C25BEFE8BE10C31C878'),
    'guide_example': ({'abc': 'value1', 'bcd': 'value2', 'bad': 'value3'}, 'Key'),
    'chinese_goods': ({'txamt': '1230', 'txcurrcd': 'HKD', 'pay_type': '800101', 'out_trade_no': 'TILL1-P261123101500-ABCDEFGH',
                       'txdtm': '2026-11-23 10:15:00', 'goods_name': '凍檸茶 Lemon Tea', 'pay_tag': 'ALIPAYHK'},
                      '0E32A59A8B454940A2FF39ABCDEF0123'),
}
for name, (data, key) in cases.items():
    print(name, 'MD5', make_req_sign(data, key))
    print(name, 'SHA256', make_req_sign_sha256(data, key))
