// How a benchmark client identifies itself on connect.
export async function userUrls(url: string, count: number): Promise<string[]> {
  return Array.from({ length: count }, (_, i) => `${url}?name=bench${i}`)
}
