// kinesalite's sequence-number arithmetic on the JavaScript engine's BigInt instead of bignumber.js: under load
// (a profile of kinesalite at 24,000 readings/s) bignumber.js took a third of kinesalite's CPU, mostly to parse the
// sequence number of every record GetRecords returns and to build the one of every record PutRecords stores.
// Same results: the common case (version 2 sequence numbers, the only kind kinesalite creates) is computed here, and
// anything else (other versions, malformed input, values that make kinesalite throw) goes to kinesalite's own
// function. kinesalite-sequences-check.js compares the two on random and edge inputs (KinesaliteSequencesIT).
'use strict'

const POW_2_124 = 1n << 124n
const POW_2_124_NEXT = (1n << 125n) * 16n
const POW_2_185 = 1n << 185n
const POW_2_185_NEXT = 3n << 184n // 2^185 * 1.5
const DECIMAL = /^\d{1,80}$/
const HEX_BYTE = /^[0-9a-f]{2}$/

function install (db) {
  const originalParse = db.parseSequence
  const originalStringify = db.stringifySequence

  db.parseSequence = function parseSequence (seq) {
    if (typeof seq !== 'string' || !DECIMAL.test(seq)) return originalParse(seq)
    let n = BigInt(seq)
    if (n < POW_2_124) n += POW_2_124
    if (n < POW_2_124_NEXT || !(n > POW_2_185 && n < POW_2_185_NEXT)) return originalParse(seq)
    const hex = n.toString(16)
    if (hex[hex.length - 1] !== '2') return originalParse(seq)
    const seqIxHex = hex.slice(11, 27)
    let shardIxHex = hex.slice(38, 46)
    const shardCreateSecs = parseInt(hex.slice(1, 10), 16)
    if (parseInt(seqIxHex[0], 16) > 7 || shardCreateSecs >= 16025175000) return originalParse(seq) // it throws
    if (parseInt(shardIxHex[0], 16) > 7) shardIxHex = '-' + shardIxHex
    return {
      shardCreateTime: shardCreateSecs * 1000,
      seqIx: BigInt('0x' + seqIxHex).toString(),
      byte1: hex.slice(27, 29),
      seqTime: parseInt(hex.slice(29, 38), 16) * 1000,
      shardIx: parseInt(shardIxHex, 16),
      version: 2,
    }
  }

  db.stringifySequence = function stringifySequence (obj) {
    const seqIx = obj.seqIx || 0
    const shardIx = obj.shardIx || 0
    const seqTime = obj.seqTime || obj.shardCreateTime
    const plain = (obj.version == null || obj.version == 2) && // eslint-disable-line eqeqeq
      Number.isSafeInteger(shardIx) && shardIx >= 0 &&
      Number.isFinite(obj.shardCreateTime) && obj.shardCreateTime >= 0 &&
      Number.isFinite(seqTime) && seqTime >= 0 &&
      (obj.byte1 == null || obj.byte1 === '' || HEX_BYTE.test(obj.byte1)) &&
      (typeof seqIx === 'number' ? Number.isSafeInteger(seqIx) && seqIx >= 0
        : typeof seqIx === 'string' && DECIMAL.test(seqIx))
    if (!plain) return originalStringify(obj)
    const hex = [
      '2',
      ('00000000' + Math.floor(obj.shardCreateTime / 1000).toString(16)).slice(-9),
      shardIx.toString(16).slice(-1),
      ('0000000000000000' + BigInt(seqIx).toString(16)).slice(-16),
      obj.byte1 || '00',
      ('00000000' + Math.floor(seqTime / 1000).toString(16)).slice(-9),
      db.shardIxToHex(obj.shardIx),
      '2',
    ].join('')
    return BigInt('0x' + hex).toString()
  }

  return { originalParse, originalStringify }
}

module.exports = { install }
