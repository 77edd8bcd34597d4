// A client that goes away in the middle of a request (an SDK call timed out or interrupted, a consumer shut down
// while it polls) makes Node emit 'error' ("aborted", ECONNRESET) on that request. kinesalite 3.3.3 and
// dynalite 4.0.0 rethrow request errors from their handlers, which ends the whole engine and every stream or
// table with it. AWS drops only the request the client abandoned: so do the local engines, once this has
// wrapped their server.
'use strict'

const CLIENT_GONE = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE'])

function clientGone (err) {
  return Boolean(err) && (CLIENT_GONE.has(err.code) || err.message === 'aborted')
}

// Runs before the engine's own 'request' listener: the engine's 'error' listeners on that request no longer
// see a client's departure; any other request error still reaches them.
module.exports = function dropAbandonedRequests (server) {
  server.prependListener('request', (req) => {
    const on = req.on
    req.on = req.addListener = function (event, listener) {
      if (event !== 'error') return on.call(this, event, listener)
      return on.call(this, event, (err) => {
        if (!clientGone(err)) listener(err)
      })
    }
  })
  return server
}
