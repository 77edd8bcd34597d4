// Compares kinesalite-sequences.js with kinesalite's own sequence-number functions on random and edge inputs;
// prints how many were compared and exits 1 at the first difference. Usage: node kinesalite-sequences-check.js [N]
'use strict'

const assert = require('node:assert')
const db = require('kinesalite/db')
const { install } = require('./kinesalite-sequences')

const original = { parse: db.parseSequence, stringify: db.stringifySequence }
install(db)
const fast = { parse: db.parseSequence, stringify: db.stringifySequence }
assert.notStrictEqual(fast.parse, original.parse)

const rounds = Number(process.argv[2] || 100000)
let seed = 42
function random () { // xorshift: the same inputs on every run
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5
  return (seed >>> 0) / 4294967296
}
const int = (n) => Math.floor(random() * n)
const pick = (...values) => values[int(values.length)]
const hexDigits = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('')
const digits = (n) => Array.from({ length: n }, () => '0123456789'[int(10)]).join('')

function outcome (fn, input) {
  try {
    return { value: fn(input) }
  } catch (e) {
    return { error: String(e && e.message) }
  }
}

let compared = 0
function same (what, input) {
  const a = outcome(original[what], input)
  const b = outcome(fast[what], input)
  try {
    assert.deepStrictEqual(b, a)
  } catch (e) {
    console.error(`kinesalite sequences: ${what}(${JSON.stringify(input)}) differs: kinesalite ${JSON.stringify(a)},` +
      ` kinesalite-sequences.js ${JSON.stringify(b)}`)
    process.exit(1)
  }
  compared++
  return a.value
}

function randomObject () {
  const obj = {
    shardCreateTime: pick(0, 1000, int(2 ** 36) * 1000 + int(1000), Date.now(), int(2 ** 40) * 1000),
    shardIx: pick(undefined, 0, int(5), int(2 ** 31), int(2 ** 32), -1 - int(5)),
    seqIx: pick(undefined, 0, int(1000), int(2 ** 53), digits(1 + int(19)), '0' + digits(int(5)),
      BigInt('0x7' + hexDigits(15)).toString(), 1.5, 'abc'),
    seqTime: pick(undefined, Date.now() + int(1e6), int(2 ** 36) * 1000, 0, NaN),
    byte1: pick(undefined, '', '00', hexDigits(2), 'zz', hexDigits(3)),
  }
  if (random() < 0.2) obj.version = pick(0, 1, 2, 3, null)
  return obj
}

const edges = ['0', '1', (2n ** 124n - 1n).toString(), (2n ** 124n).toString(), (2n ** 125n * 16n).toString(),
  (2n ** 185n).toString(), (2n ** 185n + 2n).toString(), (3n * 2n ** 184n).toString(), (3n * 2n ** 184n - 1n).toString(),
  '', ' 1', '1e5', '-5', '0x10', 'abc', '١٢', '00012', digits(81)]
for (const seq of edges) same('parse', seq)
same('parse', 12)
same('parse', null)

for (let i = 0; i < rounds; i++) {
  const seq = same('stringify', randomObject())
  if (typeof seq === 'string') {
    same('parse', seq)
    same('parse', seq.slice(0, 1 + int(seq.length)))
    same('parse', seq.slice(0, -1) + digits(1))
  }
  same('parse', digits(1 + int(60)))
}
console.log(`kinesalite sequences: ${compared} inputs compared, none differ`)
