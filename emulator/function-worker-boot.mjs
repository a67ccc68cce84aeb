// Entry of a function's worker thread: teach this thread TypeScript (tsx), then run the worker.
// Plain JS because nothing can load .ts before this line runs.
import { register } from 'tsx/esm/api'

register()
await import('./function-worker.ts')
