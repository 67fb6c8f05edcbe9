import BoardSupport
import Testing

@Suite("Parallel map")
struct ParallelTests {
  @Test("keeps every element in order, whatever the count", arguments: [0, 1, 2, 7, 8, 9, 10, 21, 1000])
  func order(count: Int) {
    let items = Array(0..<count)
    #expect(Parallel.map(items) { $0 * 2 } == items.map { $0 * 2 })
  }
}
