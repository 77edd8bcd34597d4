// Starts kinesalite bound to 127.0.0.1 only (its CLI always binds every interface), with what Kinesis does
// after a reshard and kinesalite 3.3.3 lacks: GetRecords at the end of a closed shard answers
// NextShardIterator null together with ChildShards (each child with its ParentShards and HashKeyRange), as
// the Kinesis API reference describes; consumers (KCL 3, Lambda's event source mapping) follow parents to
// children by it. ListShards honours ShardFilter AT_LATEST (open shards) and AFTER_SHARD_ID.
// Usage: node kinesalite-server.js <port> [<leveldb folder>]
'use strict'

const crypto = require('crypto')
const db = require('kinesalite/db')

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
    const filter = data.ShardFilter
    if (filter.Type === 'AT_LATEST') {
      result.Shards = result.Shards.filter((shard) => !shard.SequenceNumberRange.EndingSequenceNumber)
    } else if (filter.Type === 'AFTER_SHARD_ID' && filter.ShardId) {
      result.Shards = result.Shards.filter((shard) => shard.ShardId > filter.ShardId)
    }
    // AT_TRIM_HORIZON, FROM_TRIM_HORIZON and the timestamp filters: every shard, all being within retention here.
    cb(null, result)
  })
})

const kinesalite = require('kinesalite')

const port = Number(process.argv[2])
const path = process.argv[3]
const server = kinesalite({ path: path, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 })
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
