// Starts kinesalite bound to 127.0.0.1 only (its CLI always binds every interface), with what Kinesis does
// after a reshard and kinesalite 3.3.3 lacks: GetRecords at the end of a closed shard answers
// NextShardIterator null together with ChildShards (each child with its ParentShards and HashKeyRange), as
// the Kinesis API reference describes; consumers (KCL 3, Lambda's event source mapping) follow parents to
// children by it. ListShards honours ShardFilter (AT_TRIM_HORIZON lists the shards open at the trim horizon, not
// their children: KCL checks that they cover the hash key space).
// Usage: node kinesalite-server.js <port> [<leveldb folder>]
'use strict'

const crypto = require('crypto')
const db = require('kinesalite/db')

// Sequence numbers on BigInt instead of bignumber.js (a third of kinesalite's CPU under load); same results.
require('./kinesalite-sequences').install(db)

// kinesalite loads its actions when it is first required: put the wrapped ones in their place before that.
wrapAction('getRecords', (original) => function getRecords (store, data, cb) {
  original(store, data, (err, result) => {
    if (err || !result || result.NextShardIterator) return cb(err, result)
    const position = iteratorPosition(data.ShardIterator)
    if (!position) return cb(err, result)
    store.getStream(position.streamName, (streamErr, stream) => {
      if (streamErr) return cb(streamErr)
      result.ChildShards = stream.Shards
        .filter((shard) => shard.ParentShardId === position.shardId || shard.AdjacentParentShardId === position.shardId)
        .map((shard) => ({
          ShardId: shard.ShardId,
          ParentShards: [shard.ParentShardId, shard.AdjacentParentShardId].filter(Boolean),
          HashKeyRange: shard.HashKeyRange,
        }))
      cb(null, result)
    })
  })
})

// kinesalite's request validation keeps only the fields it knows: teach it ListShards' ShardFilter.
require('kinesalite/validations/listShards').types.ShardFilter = {
  type: 'Structure',
  children: { Type: { type: 'String' }, ShardId: { type: 'String' }, Timestamp: { type: 'Timestamp' } },
}
wrapAction('listShards', (original) => function listShards (store, data, cb) {
  original(store, data, (err, result) => {
    if (err || !data.ShardFilter) return cb(err, result)
    store.getStream(data.StreamName, (streamErr, stream) => {
      if (streamErr) return cb(streamErr)
      result.Shards = result.Shards.filter(shardFilter(data.ShardFilter, stream))
      cb(null, result)
    })
  })
})

// ListShards' ShardFilter as the Kinesis API reference defines it. A shard is open at time t when it was created at
// or before t and not closed by then; the trim horizon is the oldest time the stream still holds records of.
function shardFilter (filter, stream) {
  const now = Date.now()
  const created = (shard) => db.parseSequence(shard.SequenceNumberRange.StartingSequenceNumber).shardCreateTime
  const closed = (shard) => shard.SequenceNumberRange.EndingSequenceNumber
    ? db.parseSequence(shard.SequenceNumberRange.EndingSequenceNumber).seqTime : Infinity
  const openAt = (t) => (shard) => created(shard) <= t && closed(shard) > t
  const openFrom = (t) => (shard) => closed(shard) > t
  const trimHorizon = Math.max(Math.min(...stream.Shards.map(created)), now - stream.RetentionPeriodHours * 3600 * 1000)
  const timestamp = filter.Timestamp === undefined ? now : Number(filter.Timestamp) * (filter.Timestamp < 1e11 ? 1000 : 1)
  switch (filter.Type) {
    case 'AT_LATEST': return (shard) => closed(shard) === Infinity
    case 'AT_TRIM_HORIZON': return openAt(trimHorizon)
    case 'FROM_TRIM_HORIZON': return openFrom(trimHorizon)
    case 'AT_TIMESTAMP': return openAt(timestamp)
    case 'FROM_TIMESTAMP': return openFrom(timestamp)
    case 'AFTER_SHARD_ID': return (shard) => !filter.ShardId || shard.ShardId > filter.ShardId
    default: return () => true
  }
}

const kinesalite = require('kinesalite')

const port = Number(process.argv[2])
const path = process.argv[3]
const server = kinesalite({ path: path, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 })
require('./client-aborts')(server)
server.listen(port, '127.0.0.1', () => console.log(`kinesalite listening on http://127.0.0.1:${port}`))
// LevelDB has already written every acknowledged record to its log; exit without waiting for idle clients.
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))

function wrapAction (name, wrap) {
  const file = require.resolve('kinesalite/actions/' + name)
  const original = require(file)
  require.cache[file].exports = wrap(original)
}

// The stream and shard a kinesalite iterator points into (it is their names, encrypted with kinesalite's key).
function iteratorPosition (iterator) {
  try {
    const buffer = Buffer.from(iterator, 'base64')
    const decipher = crypto.createDecipheriv('aes-256-cbc', db.ITERATOR_PWD_KEY, db.ITERATOR_PWD_IV)
    const pieces = Buffer.concat([decipher.update(buffer.slice(8)), decipher.final()]).toString('utf8').split('/')
    return pieces.length === 5 ? { streamName: pieces[1], shardId: pieces[2] } : null
  } catch {
    return null
  }
}
