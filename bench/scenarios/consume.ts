/** Consumer ceiling: reading a topic with the raw @platformatic/kafka fetch against Java's ConsumerPerformance. */
import type { ResultRow, Scenario } from '../lib/harness.ts'
import { createTopic, javaConsume, rawConsume, rawProduce } from '../lib/raw.ts'

export const consume: Scenario = {
  name: 'consume',
  description: 'raw consumer ceiling: @platformatic/kafka fetch vs Java ConsumerPerformance, 100 B and 1 KB records',
  async run(ctx) {
    const records = Number(ctx.options.records ?? 200_000)
    const rows: ResultRow[] = []
    for (const size of [100, 1000]) {
      const topic = ctx.topicName('consume')
      await createTopic(ctx, topic)
      ctx.progress(`filling ${topic} with ${records} x ${size} B`)
      await rawProduce(ctx, topic, records, size)
      ctx.progress(`Java ConsumerPerformance, ${records} x ${size} B`)
      rows.push(await javaConsume(ctx, topic, records, size))
      ctx.progress(`@platformatic/kafka fetch, ${records} x ${size} B`)
      rows.push(await rawConsume(ctx, topic, records, size))
    }
    return rows
  },
}
