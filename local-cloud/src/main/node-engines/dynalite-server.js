// The local cloud's DynamoDB: dynalite (LevelDB, Apache-2.0) bound to 127.0.0.1, plus the DynamoDB
// behaviour the pipeline's template and KCL rely on that dynalite 4.0.0 lacks, modelled on the DynamoDB
// API reference:
//  - Time to Live: UpdateTimeToLive, DescribeTimeToLive, and a background sweep that deletes expired
//    items (Number attribute in epoch seconds, at most five years in the past), as DynamoDB's TTL does
//    within days; expired items stay readable until the sweep reaches them.
//  - UpdateTable creating or deleting a global secondary index: the index is CREATING and backfilling
//    until every existing item is indexed, then ACTIVE (KCL adds its lease-owner index this way).
// Every other operation dynalite lacks (transactions, backups, PartiQL ...) is refused as DynamoDB refuses
// an unknown operation, with a message that names it.
//
// Usage: node dynalite-server.js --port P [--path DIR] [--ttl-sweep-seconds N]
//   --path: LevelDB folder that keeps tables across restarts; without it, tables live in memory.
'use strict'

const http = require('node:http')
const { Readable } = require('node:stream')
const { parseArgs } = require('node:util')
const { crc32 } = require('node:zlib')
const { randomUUID } = require('node:crypto')

// dynalite keeps its store private; capture it as dynalite creates it, to reach tables and items directly.
const db = require('dynalite/db')
const createStore = db.create
let store
db.create = function (options) {
  store = createStore(options)
  return store
}
const dynalite = require('dynalite')

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    path: { type: 'string' },
    'ttl-sweep-seconds': { type: 'string', default: '60' },
  },
})
const port = Number(args.port)
const ttlSweepMillis = Number(args['ttl-sweep-seconds']) * 1000
if (!Number.isInteger(port) || port <= 0 || !(ttlSweepMillis > 0)) {
  console.error('usage: node dynalite-server.js --port P [--path DIR] [--ttl-sweep-seconds N]')
  process.exit(2)
}

// CreateTable answers CREATING and the table is ACTIVE right after, as DynamoDB's are seconds later: clients wait for it.
const engine = dynalite({ path: args.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
const dynaliteHandler = engine.listeners('request')[0]

const DYNALITE_OPERATIONS = new Set(['BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable',
  'DescribeTable', 'GetItem', 'ListTables', 'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource',
  'ListTagsOfResource', 'UpdateItem', 'UpdateTable'])
const ADDED_OPERATIONS = { UpdateTimeToLive: updateTimeToLive, DescribeTimeToLive: describeTimeToLive }

const server = http.createServer((req, res) => {
  const operation = (req.headers['x-amz-target'] || '').split('.')[1] || ''
  if (req.method !== 'POST' || (DYNALITE_OPERATIONS.has(operation) && operation !== 'UpdateTable')) {
    return dynaliteHandler(req, res)
  }
  if (!DYNALITE_OPERATIONS.has(operation) && !ADDED_OPERATIONS[operation]) {
    return send(res, 400, {
      __type: 'com.amazon.coral.service#UnknownOperationException',
      message: `${operation || 'this request'}: not implemented by dynalite, the local cloud's DynamoDB engine ` +
        '(see README, "Local cloud": what the local DynamoDB does not model)',
    })
  }
  readBody(req, (body) => {
    let data
    try {
      data = JSON.parse(body)
    } catch {
      return send(res, 400, { __type: 'com.amazon.coral.service#SerializationException' })
    }
    if (operation === 'UpdateTable') {
      const indexUpdates = (data.GlobalSecondaryIndexUpdates || []).filter((update) => update.Create || update.Delete)
      if (indexUpdates.length === 0) {
        return dynaliteHandler(replay(req, body), res)
      }
      return answer(res, (cb) => updateTableIndexes(data, indexUpdates, cb))
    }
    answer(res, (cb) => ADDED_OPERATIONS[operation](data, cb))
  })
})

require('./client-aborts')(server)
server.listen(port, '127.0.0.1', () => console.log(`dynalite listening on http://127.0.0.1:${port}` +
  (args.path ? ` with tables in ${args.path}` : ' with tables in memory') +
  `; expired items swept every ${ttlSweepMillis / 1000} s`))
// LevelDB has written every acknowledged write to its log; exit without waiting for idle clients.
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))

// ---- Time to Live -----------------------------------------------------------------------------------

// DynamoDB keeps a table's TTL setting with the table (DeleteTable drops it); so does this engine, in a field
// of the stored table description that DescribeTable's clients ignore.
const TTL_FIELD = 'LocalTimeToLive'
const FIVE_YEARS_SECONDS = 5 * 365 * 24 * 3600

function updateTimeToLive (data, cb) {
  const spec = data.TimeToLiveSpecification
  if (!validTableName(data.TableName) || !spec || typeof spec.Enabled !== 'boolean' || typeof spec.AttributeName !== 'string' ||
      spec.AttributeName.length < 1 || spec.AttributeName.length > 255) {
    return cb(db.validationError('UpdateTimeToLive needs TableName (3 to 255 of a-z A-Z 0-9 _ . -) and TimeToLiveSpecification ' +
      '{AttributeName (1 to 255 characters), Enabled (boolean)}'))
  }
  withTable(data.TableName, cb, (table) => {
    const current = table[TTL_FIELD]
    if (spec.Enabled && current) throw db.validationError('TimeToLive is already enabled')
    if (!spec.Enabled && !current) throw db.validationError('TimeToLive is already disabled')
    if (!spec.Enabled && current.AttributeName !== spec.AttributeName) {
      throw db.validationError('TimeToLive is active on a different AttributeName: current AttributeName is ' +
        current.AttributeName)
    }
    if (spec.Enabled) {
      table[TTL_FIELD] = { AttributeName: spec.AttributeName }
    } else {
      delete table[TTL_FIELD]
    }
    return { result: { TimeToLiveSpecification: spec } }
  })
}

function describeTimeToLive (data, cb) {
  if (!validTableName(data.TableName)) return cb(db.validationError('DescribeTimeToLive needs TableName (3 to 255 of a-z A-Z 0-9 _ . -)'))
  store.getTable(data.TableName, false, (err, table) => {
    if (err) return cb(err)
    const ttl = table[TTL_FIELD]
    cb(null, { TimeToLiveDescription: ttl
      ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.AttributeName }
      : { TimeToLiveStatus: 'DISABLED' } })
  })
}

// One pass over every table with TTL on; the next pass starts a sweep interval after this one ends.
function sweepExpiredItems () {
  const tables = []
  store.tableDb.createValueStream()
    .on('data', (table) => { if (table && table[TTL_FIELD] && table.TableStatus === 'ACTIVE') tables.push(table) })
    .on('error', (err) => console.error('ttl sweep: cannot list tables:', err.message))
    .on('end', () => sweepTables(tables, () => setTimeout(sweepExpiredItems, ttlSweepMillis)))
}

function sweepTables (tables, done) {
  if (tables.length === 0) return done()
  const table = tables.shift()
  const attribute = table[TTL_FIELD].AttributeName
  const nowSeconds = Date.now() / 1000
  const isExpired = (item) => {
    const value = item && item[attribute] && item[attribute].N
    if (value === undefined) return false
    const expiresAt = Number(value)
    return expiresAt <= nowSeconds && expiresAt >= nowSeconds - FIVE_YEARS_SECONDS
  }
  const expired = []
  store.getItemDb(table.TableName).createValueStream()
    .on('data', (item) => { if (isExpired(item)) expired.push(item) })
    .on('error', (err) => { console.error(`ttl sweep of ${table.TableName}:`, err.message); sweepTables(tables, done) })
    .on('end', () => deleteEach(table, expired, isExpired, 0, (deleted) => {
      if (deleted > 0) console.log(`ttl sweep: deleted ${deleted} expired items from ${table.TableName}`)
      sweepTables(tables, done)
    }))
}

// Deletes each item still expired under its item lock, as a conditional DeleteItem would, indexes included.
function deleteEach (table, items, isExpired, deleted, done) {
  if (items.length === 0) return done(deleted)
  const itemDb = store.getItemDb(table.TableName)
  const key = db.createKey(items.shift(), table)
  itemDb.lock(key, (release) => {
    const next = release((err, wasDeleted) => {
      if (err) console.error(`ttl sweep of ${table.TableName}:`, err.message)
      deleteEach(table, items, isExpired, deleted + (wasDeleted ? 1 : 0), done)
    })
    itemDb.get(key, (err, current) => {
      if (err) return next(err.name === 'NotFoundError' ? null : err, false)
      if (!isExpired(current)) return next(null, false)
      db.updateIndexes(store, table, current, null, (err) => {
        if (err) return next(err, false)
        itemDb.del(key, (err) => next(err, !err))
      })
    })
  })
}

setTimeout(sweepExpiredItems, ttlSweepMillis)

// ---- Global secondary indexes added or removed by UpdateTable ----------------------------------------

function updateTableIndexes (data, indexUpdates, cb) {
  // DynamoDB: "You can only perform one of the following operations at once" (throughput, create an index,
  // delete an index), and one index is created or deleted per UpdateTable.
  if (indexUpdates.length > 1 || data.ProvisionedThroughput || data.BillingMode ||
      (data.GlobalSecondaryIndexUpdates || []).length > 1) {
    return cb(db.validationError('One or more parameter values were invalid: only one global secondary index ' +
      'can be created or deleted per UpdateTable, and not together with other table changes'))
  }
  const update = indexUpdates[0]
  withTable(data.TableName, cb, (table) => {
    if (table.TableStatus !== 'ACTIVE') {
      throw apiError('ResourceInUseException',
        `Attempt to change a resource which is still in use: Table is being updated: ${table.TableName}`)
    }
    const indexes = table.GlobalSecondaryIndexes || []
    if (update.Delete) {
      const name = update.Delete.IndexName
      if (!indexes.some((index) => index.IndexName === name)) {
        throw apiError('ResourceNotFoundException', `Requested resource not found: Index: ${name} not found for table ${table.TableName}`)
      }
      table.GlobalSecondaryIndexes = indexes.filter((index) => index.IndexName !== name)
      if (table.GlobalSecondaryIndexes.length === 0) delete table.GlobalSecondaryIndexes
      return {
        result: { TableDescription: table },
        afterSave: () => store.deleteIndexDb('Global', table.TableName, name, (err) =>
          err && console.error(`index ${name} of ${table.TableName}: entries not deleted:`, err.message)),
      }
    }
    const invalid = newIndexProblem(update.Create, table, data.AttributeDefinitions || [])
    if (invalid) throw db.validationError('One or more parameter values were invalid: ' + invalid)
    const billing = (table.BillingModeSummary || {}).BillingMode || 'PROVISIONED'
    const index = {
      IndexName: update.Create.IndexName,
      KeySchema: update.Create.KeySchema,
      Projection: update.Create.Projection,
      IndexStatus: 'CREATING',
      Backfilling: true,
      ProvisionedThroughput: Object.assign({ NumberOfDecreasesToday: 0 }, billing === 'PAY_PER_REQUEST'
        ? { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } : update.Create.ProvisionedThroughput),
      IndexSizeBytes: 0,
      ItemCount: 0,
      IndexArn: `${table.TableArn}/index/${update.Create.IndexName}`,
    }
    table.AttributeDefinitions = table.AttributeDefinitions.concat((data.AttributeDefinitions || [])
      .filter((added) => !table.AttributeDefinitions.some((known) => known.AttributeName === added.AttributeName)))
    table.GlobalSecondaryIndexes = indexes.concat([index])
    table.TableStatus = 'UPDATING'
    return { result: { TableDescription: table }, afterSave: () => backfill(table.TableName, index.IndexName) }
  })
}

function newIndexProblem (create, table, addedDefinitions) {
  if (!create.IndexName || !Array.isArray(create.KeySchema) || create.KeySchema.length < 1 || !create.Projection) {
    return 'Create needs IndexName, KeySchema and Projection'
  }
  if ((table.GlobalSecondaryIndexes || []).concat(table.LocalSecondaryIndexes || [])
    .some((index) => index.IndexName === create.IndexName)) {
    return `Attempting to create an index which already exists: ${create.IndexName}`
  }
  const billing = (table.BillingModeSummary || {}).BillingMode || 'PROVISIONED'
  if (billing === 'PROVISIONED' && !create.ProvisionedThroughput) {
    return `ProvisionedThroughput must be specified for index: ${create.IndexName}`
  }
  const defined = table.AttributeDefinitions.concat(addedDefinitions)
  const missing = create.KeySchema.map((key) => key.AttributeName)
    .filter((name) => !defined.some((definition) => definition.AttributeName === name))
  return missing.length ? `Global Secondary Index key attributes are not defined in AttributeDefinitions: ${missing.join(', ')}` : null
}

// Indexes every existing item, each under its item lock and read again there, so a write that lands during the
// backfill (already indexed by dynalite, which reads the new index from the table) is never overwritten.
function backfill (tableName, indexName) {
  store.getTable(tableName, false, (err, table) => {
    if (err) return console.error(`index ${indexName} of ${tableName}: backfill cannot start:`, err.message)
    const index = table.GlobalSecondaryIndexes.find((candidate) => candidate.IndexName === indexName)
    const keys = []
    store.getItemDb(tableName).createKeyStream()
      .on('data', (key) => keys.push(key))
      .on('error', (err) => console.error(`index ${indexName} of ${tableName}: backfill failed:`, err.message))
      .on('end', () => indexEach(table, index, keys.slice(), (err) => {
        if (err) return console.error(`index ${indexName} of ${tableName}: backfill failed:`, err.message)
        const log = (err, message) => console[err ? 'error' : 'log'](err ? err.message : message)
        withTable(tableName, log, (current) => {
          const stored = (current.GlobalSecondaryIndexes || []).find((candidate) => candidate.IndexName === indexName)
          if (stored) {
            stored.IndexStatus = 'ACTIVE'
            delete stored.Backfilling
          }
          current.TableStatus = 'ACTIVE'
          return { result: `index ${indexName} of ${tableName}: ACTIVE after reading ${keys.length} items` }
        })
      }))
  })
}

function indexEach (table, index, keys, done) {
  if (keys.length === 0) return done()
  const itemDb = store.getItemDb(table.TableName)
  const key = keys.shift()
  itemDb.lock(key, (release) => {
    const next = release((err) => (err ? done(err) : indexEach(table, index, keys, done)))
    itemDb.get(key, (err, item) => {
      if (err) return next(err.name === 'NotFoundError' ? null : err)
      // An item whose index key has another type than the definition is left out of the index, as DynamoDB does.
      const typed = index.KeySchema.every((key) => {
        const type = table.AttributeDefinitions.find((definition) => definition.AttributeName === key.AttributeName).AttributeType
        return item[key.AttributeName] && item[key.AttributeName][type] !== undefined
      })
      if (!typed) return next()
      const actions = db.getIndexActions([index], null, item, table)
      const indexDb = store.getIndexDb('Global', table.TableName, index.IndexName)
      Promise.all(actions.puts.map((put) => new Promise((resolve, reject) =>
        indexDb.put(put.key, put.item, (err) => (err ? reject(err) : resolve())))))
        .then(() => next(), next)
    })
  })
}

// ---- Plumbing -----------------------------------------------------------------------------------------

// Runs change(table) under the table's lock. change throws an API error, or changes the table and returns
// {result, afterSave}: the changed description is stored, the lock released, cb gets result, then afterSave runs.
function withTable (tableName, cb, change) {
  store.tableDb.lock(tableName, (release) => {
    const done = release(cb)
    store.getTable(tableName, false, (err, table) => {
      if (err) return done(err)
      let outcome
      try {
        outcome = change(table)
      } catch (err) {
        return done(err)
      }
      store.tableDb.put(tableName, table, (err) => {
        done(err, err ? undefined : outcome.result)
        if (!err && outcome.afterSave) outcome.afterSave()
      })
    })
  })
}

function validTableName (name) {
  return typeof name === 'string' && /^[a-zA-Z0-9_.-]{3,255}$/.test(name)
}

function apiError (type, message) {
  const err = new Error(message)
  err.statusCode = 400
  err.body = { __type: 'com.amazonaws.dynamodb.v20120810#' + type, message }
  return err
}

function answer (res, operation) {
  try {
    operation((err, data) => {
      if (err && err.statusCode) return send(res, err.statusCode, err.body)
      if (err) return send(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: err.message })
      send(res, 200, data)
    })
  } catch (err) {
    send(res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: err.message })
  }
}

function send (res, status, data) {
  const body = Buffer.from(JSON.stringify(data), 'utf8')
  res.statusCode = status
  res.setHeader('x-amzn-RequestId', randomUUID())
  res.setHeader('x-amz-crc32', crc32(body))
  res.setHeader('Content-Type', 'application/x-amz-json-1.0')
  res.setHeader('Content-Length', body.length)
  res.end(body)
}

function readBody (req, then) {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => then(Buffer.concat(chunks).toString('utf8')))
}

// dynalite reads the request as a stream: hand it one that yields the body already read here.
function replay (req, body) {
  const copy = Readable.from(body.length ? [Buffer.from(body, 'utf8')] : [])
  copy.headers = req.headers
  copy.method = req.method
  copy.url = req.url
  return copy
}
