/**
 * Connecting an mqtt.js client the way both tasks need it: the first connection awaited with the configured
 * timeout (a broker that is not there fails the task's start, and the worker restarts it with backoff), later
 * reconnects left to mqtt.js.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { RetriableError } from 'tsconnect'
import type { ConnectionSettings } from './config.ts'

/** A client that is not yet connected; listeners can be added before the first CONNECT goes out. */
export function newClient(settings: ConnectionSettings): MqttClient {
  return mqtt.connect(settings.urls[0] as string, { ...settings.options, manualConnect: true })
}

/** Connects the client and waits for the broker's CONNACK, or fails with the reason. */
export async function connectClient(client: MqttClient, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      done()
      reject(new RetriableError(`no CONNACK from the MQTT broker within ${timeoutMs} ms`))
    }, timeoutMs)
    const onConnect = () => {
      done()
      resolve()
    }
    const onError = (error: Error) => {
      done()
      reject(new RetriableError(`connecting to the MQTT broker failed: ${error.message}`, { cause: error }))
    }
    const done = () => {
      clearTimeout(timer)
      client.off('connect', onConnect)
      client.off('error', onError)
    }
    client.on('connect', onConnect)
    client.on('error', onError)
    client.connect()
  })
}

/** Ends the client, forcibly if it does not end within `timeoutMs`. */
export async function endClient(client: MqttClient, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    client.endAsync(false),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => resolve(client.endAsync(true)), timeoutMs)
    }),
  ]).finally(() => clearTimeout(timer))
}
