/** Producer ceiling: the raw @platformatic/kafka producer against Java's ProducerPerformance. */
import type { ResultRow, Scenario } from '../lib/harness.ts'
import { createTopic, javaProduce, rawProduce } from '../lib/raw.ts'

export const produce: Scenario = {
  name: 'produce',
  description: 'raw producer ceiling: @platformatic/kafka vs Java ProducerPerformance, 100 B and 1 KB records',
  async run(ctx) {
    const records = Number(ctx.options.records ?? 200_000)
    const rows: ResultRow[] = []
    for (const size of [100, 1000]) {
      ctx.progress(`Java ProducerPerformance, ${records} x ${size} B`)
      const javaTopic = ctx.topicName('java-produce')
      await createTopic(ctx, javaTopic)
      rows.push(await javaProduce(ctx, javaTopic, records, size))
      ctx.progress(`@platformatic/kafka producer, ${records} x ${size} B`)
      const rawTopic = ctx.topicName('raw-produce')
      await createTopic(ctx, rawTopic)
      rows.push(await rawProduce(ctx, rawTopic, records, size))
    }
    return rows
  },
}
