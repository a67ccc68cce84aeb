// dynalite on its own thread, so DynamoDB work uses the other core instead of competing with the
// gateway's sockets. Posts the port it listens on, and closes when told.
import { parentPort, workerData } from 'node:worker_threads'
import dynalite from 'dynalite'

// Tables become ACTIVE at once: tests and dev start need no 500 ms wait per table.
const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }))
parentPort.on('message', (message) => {
  if (message === 'close') {
    // dynalite's close also closes its LevelDB store, which flushes the on-disk data.
    server.close(() => parentPort.postMessage({ closed: true }))
    server.closeAllConnections()
  }
})
