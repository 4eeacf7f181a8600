// The domain toolkit through the built package (Node build): references, RF, IBAN/BIC,
// amounts, virtual barcodes, and errors with stable codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import opcorp from 'opcorp-wasm';

const throwsCode = (fn, code) => assert.throws(fn, (e) => {
  assert.ok(e instanceof Error, 'an Error object');
  assert.equal(e.code, code, e.message);
  return true;
});

test('Finnish and RF references: parse, validate, generate, convert', () => {
  assert.deepEqual(opcorp.parseReference('1232'), { kind: 'finnish', value: '1232', grouped: '1232' });
  assert.equal(opcorp.parseReference('00000 00000 00000 1232').value, '1232');
  assert.equal(opcorp.isValidReference('1232'), true);
  assert.equal(opcorp.isValidReference('1233'), false);
  throwsCode(() => opcorp.parseReference('1233'), 'INVALID_INPUT');
  assert.equal(opcorp.referenceGenerate('123'), '1232');
  const rf = opcorp.rfFromFinnish('1232');
  assert.match(rf, /^RF\d{2}1232$/);
  assert.equal(opcorp.parseReference(rf).kind, 'rf');
  assert.equal(opcorp.rfToFinnish(rf), '1232');
  assert.equal(opcorp.rfToFinnish(opcorp.rfGenerate('ABC123')), undefined, 'a body with letters is no Finnish reference');
});

test('IBAN and BIC', () => {
  const iban = opcorp.parseIban('fi21 1234 5600 0007 85');
  assert.equal(iban.iban, 'FI2112345600000785');
  assert.equal(iban.grouped, 'FI21 1234 5600 0007 85');
  assert.equal(iban.isFinnish, true);
  assert.equal(opcorp.isValidIban('FI2112345600000786'), false);
  throwsCode(() => opcorp.parseIban('FI2112345600000786'), 'INVALID_INPUT');
  assert.equal(opcorp.bicNormalize('okoyfihh'), 'OKOYFIHH');
});

test('amounts are exact decimal strings and bigint minor units', () => {
  assert.equal(opcorp.addAmounts('0.10', '0.20'), '0.30');
  assert.equal(opcorp.amountToMinorUnits('1234.50'), 123450n);
  assert.equal(opcorp.amountFromMinorUnits(123450n), '1234.50');
  assert.equal(opcorp.amountToMinorUnits('90071992547409.93'), 9007199254740993n, 'beyond 2^53');
  throwsCode(() => opcorp.amountToMinorUnits('1.005'), 'INVALID_INPUT');
  throwsCode(() => opcorp.parseAmount('12,34,56'), 'INVALID_INPUT');
});

test('virtual bank barcode versions 4 and 5 round-trip', () => {
  const fields = { iban: 'FI79 4405 2020 0360 82', amount: '4883.15', reference: '86851 62596 19897', dueDate: '2010-06-12' };
  const v4 = opcorp.barcodeEncode(fields);
  assert.equal(v4, '479440520200360820048831500000000868516259619897100612');
  const decoded = opcorp.barcodeDecode(v4);
  assert.equal(decoded.version, 4);
  assert.equal(decoded.amount, '4883.15');
  assert.equal(decoded.reference, '868516259619897');
  assert.equal(decoded.dueDate, '2010-06-12');
  const v5 = opcorp.barcodeEncode({ ...fields, reference: 'RF09 8685 1625 9619 897' });
  assert.equal(v5, '579440520200360820048831509000000868516259619897100612');
  throwsCode(() => opcorp.barcodeEncode({ ...fields, amount: '1000000.00' }), 'INVALID_INPUT');
  throwsCode(() => opcorp.barcodeEncode({ ...fields, color: 'red' }), 'INVALID_INPUT');
  throwsCode(() => opcorp.barcodeDecode('123'), 'INVALID_INPUT');
});

test('every core error kind has a distinct code', () => {
  const codes = opcorp.errorCodes();
  assert.equal(new Set(codes).size, codes.length);
  for (const code of ['AUTH', 'TLS', 'RATE_LIMITED', 'TIMEOUT', 'NETWORK', 'INVALID_INPUT', 'NOT_FOUND',
    'CONFLICT', 'SERVER', 'DECODE', 'SIGNATURE', 'CONFIG', 'UNKNOWN_OUTCOME']) {
    assert.ok(codes.includes(code), code);
  }
});

test("OP's JSON parses losslessly", () => {
  const body = '[{"amount":"-12.30","objectId":"o1","archiveId":20240601512345678901,"timestamp":1717200000000000,'
    + '"bookingDate":"2024-06-01","newField":{"x":1}}]';
  const [t] = opcorp.parseOpJson('transactions', body);
  assert.equal(t.amount, '-12.30');
  assert.equal(t.archiveId, '20240601512345678901', 'a 20-digit number stays an exact string');
  assert.deepEqual(t.newField, { x: 1 }, 'unknown fields are kept');
  throwsCode(() => opcorp.parseOpJson('transactions', '[{"amount":"x"}]'), 'INVALID_INPUT');
  throwsCode(() => opcorp.parseOpJson('nope', '[]'), 'INVALID_INPUT');
});

test('deprecated 0.1 names still work and equal the shared names', () => {
  assert.equal(opcorp.generateReference('123'), opcorp.referenceGenerate('123'));
  assert.equal(opcorp.generateRfReference('539007547034'), opcorp.rfGenerate('539007547034'));
  assert.equal(opcorp.finnishToRf('1232'), opcorp.rfFromFinnish('1232'));
  assert.equal(opcorp.parseBic('okoyfihh'), opcorp.bicNormalize('okoyfihh'));
  const fields = { iban: 'FI2112345600000785', amount: '1.00', reference: '1232' };
  assert.equal(opcorp.encodeBarcode(fields), opcorp.barcodeEncode(fields));
  assert.deepEqual(opcorp.decodeBarcode(opcorp.barcodeEncode(fields)), opcorp.barcodeDecode(opcorp.barcodeEncode(fields)));
});
