/**
 * The reaction to each broker error of JoinGroup, SyncGroup and Heartbeat (Kafka's AbstractCoordinator).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KafkaError } from '../../../src/errors.ts'
import { BROKER_ERROR } from '../../../src/kafka/broker-errors.ts'
import { type GroupErrorAction, groupErrorAction } from '../../../src/membership/group-errors.ts'

const rows: [string, KafkaError, GroupErrorAction][] = [
  ['UNKNOWN_MEMBER_ID', new KafkaError(false, '', BROKER_ERROR.UNKNOWN_MEMBER_ID), 'forget-member'],
  ['ILLEGAL_GENERATION', new KafkaError(false, '', BROKER_ERROR.ILLEGAL_GENERATION), 'forget-generation'],
  ['REBALANCE_IN_PROGRESS', new KafkaError(false, '', BROKER_ERROR.REBALANCE_IN_PROGRESS), 'rejoin'],
  ['NOT_COORDINATOR', new KafkaError(true, '', BROKER_ERROR.NOT_COORDINATOR), 'find-coordinator'],
  ['COORDINATOR_NOT_AVAILABLE', new KafkaError(true, '', BROKER_ERROR.COORDINATOR_NOT_AVAILABLE), 'find-coordinator'],
  ['a lost connection or a timeout', new KafkaError(true, 'connection closed'), 'find-coordinator'],
  ['COORDINATOR_LOAD_IN_PROGRESS', new KafkaError(true, '', BROKER_ERROR.COORDINATOR_LOAD_IN_PROGRESS), 'back-off'],
  ['another retriable error', new KafkaError(true, '', BROKER_ERROR.REQUEST_TIMED_OUT), 'back-off'],
  ['FENCED_INSTANCE_ID', new KafkaError(true, '', BROKER_ERROR.FENCED_INSTANCE_ID), 'fatal'],
  ['INCONSISTENT_GROUP_PROTOCOL', new KafkaError(false, '', BROKER_ERROR.INCONSISTENT_GROUP_PROTOCOL), 'fatal'],
  ['INVALID_SESSION_TIMEOUT', new KafkaError(false, '', BROKER_ERROR.INVALID_SESSION_TIMEOUT), 'fatal'],
  ['GROUP_AUTHORIZATION_FAILED', new KafkaError(false, '', BROKER_ERROR.GROUP_AUTHORIZATION_FAILED), 'fatal'],
  ['a non-retriable failure without a code', new KafkaError(false, 'bad'), 'fatal'],
]

for (const [name, error, action] of rows) {
  test(`${name} → ${action}`, () => assert.equal(groupErrorAction(error), action))
}
