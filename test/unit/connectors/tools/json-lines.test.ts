/**
 * The verifiable connectors' JSON lines have Java's field order: that of a java.util.HashMap, which Jackson
 * iterates. The expected orders were printed by `new HashMap<>()` and keySet() on Java 17.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { javaHashMapJson, javaHashMapOrder, javaStringHash } from '../../../../src/connectors/tools/json-lines.ts'
import { Schema } from '../../../../src/data/schema.ts'
import { SchemaBuilder } from '../../../../src/data/schema-builder.ts'
import { Struct } from '../../../../src/data/struct.ts'

describe("the tool connectors' JSON lines", () => {
  test("String.hashCode is Java's, overflow included", () => {
    assert.equal(javaStringHash(''), 0)
    assert.equal(javaStringHash('name'), 3373707)
    assert.equal(javaStringHash('time_ms'), -1313927080)
    assert.equal(javaStringHash('polygenelubricants'), -2147483648)
  })

  test('fields come in the order a Java HashMap iterates them', () => {
    const order = (keys: string) => javaHashMapOrder(keys.split(',')).join(',')
    assert.equal(order('name,task,topic,time_ms,seqno'), 'task,seqno,time_ms,name,topic')
    assert.equal(order('name,task,topic,time_ms,seqno,committed'), 'committed,task,seqno,time_ms,name,topic')
    assert.equal(
      order('name,task,sinkTask,topic,time_ms,seqno,offset'),
      'task,seqno,offset,time_ms,name,topic,sinkTask',
    )
    assert.equal(
      order('name,task,sinkTask,topic,time_ms,seqno,offset,flushed'),
      'task,seqno,offset,time_ms,name,topic,sinkTask,flushed',
    )
  })

  test('past 12 keys the table grows, and keys sharing a bucket keep their insertion order', () => {
    // "Aa" and "BB" have the same String.hashCode.
    const keys = 'a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,aa,bb,Aa,BB,zz'.split(',')
    assert.equal(javaHashMapOrder(keys).join(','), 'aa,bb,Aa,BB,zz,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q')
  })

  test('a line is compact JSON with longs as integers, bigints included, and null for missing values', () => {
    assert.equal(
      javaHashMapJson({ name: 'vs', task: 0, topic: null, time_ms: 1700000000000, seqno: 2n ** 60n }),
      '{"task":0,"seqno":1152921504606846976,"time_ms":1700000000000,"name":"vs","topic":null}',
    )
  })

  test("a value Jackson cannot write (a Struct) gives Java's fallback line", () => {
    const struct = new Struct(SchemaBuilder.struct().field('seqno', Schema.INT64_SCHEMA).build()).put('seqno', 1)
    // Java 17 with Kafka 4.3.1's jars printed this for the same HashMap.
    assert.equal(
      javaHashMapJson({ seqno: struct }),
      'Bad data can\'t be written as json: No serializer found for class org.apache.kafka.connect.data.Struct and no properties discovered to create BeanSerializer (to avoid exception, disable SerializationFeature.FAIL_ON_EMPTY_BEANS) (through reference chain: java.util.HashMap["seqno"])',
    )
  })
})
