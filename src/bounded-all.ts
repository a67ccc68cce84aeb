// Runs `task` over `items` with at most `limit` in flight: fan-out to a big room must not open
// hundreds of sockets at once, nor wait on each peer in turn.
export async function boundedAll<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
