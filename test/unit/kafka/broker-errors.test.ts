/**
 * The one place broker error codes and the client library's errors become tsconnect's KafkaError.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { AuthenticationError, MultipleErrors, NetworkError, ResponseError, TimeoutError } from '@platformatic/kafka'
import { KafkaError } from '../../../src/errors.ts'
import {
  BROKER_ERROR,
  brokerErrorName,
  isRetriableBrokerError,
  toKafkaError,
} from '../../../src/kafka/broker-errors.ts'

describe('broker errors', () => {
  test('codes have Kafka’s names', () => {
    assert.equal(brokerErrorName(BROKER_ERROR.UNKNOWN_MEMBER_ID), 'UNKNOWN_MEMBER_ID')
    assert.equal(brokerErrorName(BROKER_ERROR.MEMBER_ID_REQUIRED), 'MEMBER_ID_REQUIRED')
    assert.equal(brokerErrorName(9999), 'UNKNOWN_CODE_9999')
  })

  test('retriable as Kafka’s clients say', () => {
    assert.equal(isRetriableBrokerError(BROKER_ERROR.COORDINATOR_LOAD_IN_PROGRESS), true)
    assert.equal(isRetriableBrokerError(BROKER_ERROR.NOT_COORDINATOR), true)
    assert.equal(isRetriableBrokerError(BROKER_ERROR.GROUP_AUTHORIZATION_FAILED), false)
  })

  test('an error answer keeps the broker’s code, and the answer itself as the cause', () => {
    const e = toKafkaError(new ResponseError(11, 9, { '/': [79, null] }, { memberId: 'given' }), 'JoinGroup')
    assert.ok(e instanceof KafkaError)
    assert.equal(e.kafkaCode, BROKER_ERROR.MEMBER_ID_REQUIRED)
    assert.match(e.message, /JoinGroup failed: MEMBER_ID_REQUIRED/)
    assert.equal((e.cause as { response?: { memberId?: string } }).response?.memberId, 'given')
  })

  test('a refused SASL login is not retriable, though it comes as a lost connection, and keeps the broker’s words', () => {
    const answer = new ResponseError(36, 2, { '/': [58, 'invalid credentials with SASL mechanism SCRAM-SHA-512'] }, {})
    const login = new AuthenticationError('SASL authentication failed.', { cause: answer })
    const lost = new NetworkError('Connection to 127.0.0.1:9093 failed.', { cause: login })
    const e = toKafkaError(new MultipleErrors('Listing topics failed.', [lost]), 'ListTopics')
    assert.equal(e.retriable, false)
    assert.equal(e.kafkaCode, BROKER_ERROR.SASL_AUTHENTICATION_FAILED)
    assert.match(
      e.message,
      /ListTopics failed: SASL authentication failed\. \(invalid credentials with SASL mechanism SCRAM-SHA-512\)/,
    )
  })

  test('a code found deep in a chain of retries is still found', () => {
    const inner = new ResponseError(14, 4, { '/': [16, 'moved'] }, {})
    const e = toKafkaError(new MultipleErrors('Heartbeat failed 3 times.', [inner]), 'Heartbeat')
    assert.equal(e.kafkaCode, BROKER_ERROR.NOT_COORDINATOR)
  })

  test('lost connections and timeouts are retriable and carry no code', () => {
    for (const raw of [new NetworkError('Connection closed'), new TimeoutError('Request timed out')]) {
      const e = toKafkaError(raw, 'SyncGroup')
      assert.equal(e.kafkaCode, undefined)
      assert.equal(e.retriable, true)
    }
  })

  test('anything else is fatal', () => {
    const e = toKafkaError(new TypeError('bad'), 'LeaveGroup')
    assert.equal(e.retriable, false)
    assert.equal(e.kafkaCode, undefined)
  })
})
