/**
 * A local Apache Kafka in KRaft mode, from the jars that jars.ts resolves.
 *
 * Two shapes:
 * - single: one combined broker+controller JVM (tests, the quick start);
 * - cluster: one controller-only JVM and N broker-only JVMs, so that any broker can be killed, stopped and
 *   restarted while the quorum stays up (fault tests).
 *
 * A LocalKafka can be described as plain JSON (`state()`) and rebuilt from it (`LocalKafka.attach`): that is how
 * `npm run kafka -- stop` finds the JVMs that an earlier `start` left running.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CertificateAuthority, createCertificateAuthority } from './certs.ts'
import { ensureKafka, type KafkaInstall } from './jars.ts'
import {
  canConnect,
  fileSize,
  freePort,
  isAlive,
  type JvmProfile,
  killProcess,
  logContains,
  runJavaTool,
  spawnJava,
  stopProcess,
  waitUntil,
} from './jvm.ts'

/** What one node of the local Kafka is. */
export interface NodeState {
  nodeId: number
  roles: 'broker,controller' | 'broker' | 'controller'
  /** The PLAINTEXT listener (0 for a controller-only node). */
  brokerPort: number
  /** The CONTROLLER listener (0 for a broker-only node). */
  controllerPort: number
  dir: string
  pid?: number
}

/**
 * The secured listeners of a single-node local Kafka, beside its PLAINTEXT one (which the broker and controller use
 * among themselves, and whose ANONYMOUS principal is therefore a super user):
 * - `ssl`: TLS, server authentication only (clients are ANONYMOUS, so a super user: encryption only);
 * - `mtls`: TLS with `ssl.client.auth=required`; the principal is `User:CN=<certificate name>`;
 * - `saslSsl`: SASL over TLS with PLAIN and SCRAM-SHA-512; the principal is `User:<name>`.
 * Every listener but PLAINTEXT goes through StandardAuthorizer's ACLs.
 */
export interface SecuredListenersState {
  /** PEM truststore of the private CA that signed the broker's certificate (and clients' certificates). */
  caFile: string
  /** The folder where issue() writes certificates. */
  tlsDir: string
  ssl: string
  mtls: string
  saslSsl: string
  /** The super users: `User:admin` (SASL) and `User:CN=admin` (mTLS) besides ANONYMOUS. */
  superUsers: string[]
}

/** What the secured listeners are made with. */
export interface SecuredListenersOptions {
  /** SASL users (PLAIN and SCRAM-SHA-512) by name: their passwords. `admin` is a super user. */
  users: Record<string, string>
}

/** Everything needed to find a running local Kafka again from another process. */
export interface LocalKafkaState {
  version: string
  dir: string
  clusterId: string
  bootstrap: string
  nodes: NodeState[]
  secured?: SecuredListenersState
}

/** How to start a local Kafka. Ports default to free ones chosen by the kernel. */
export interface LocalKafkaOptions {
  /** Folder for data and logs; created when missing. */
  dir: string
  /** Number of brokers: 1 starts a combined node, more start a separate controller plus that many brokers. */
  brokers?: number
  /** The first broker's port (the others follow); 0 or absent: free ports. */
  port?: number
  /** The controller's port; 0 or absent: a free port. */
  controllerPort?: number
  profile?: JvmProfile
  /** Heap of each broker JVM. */
  heap?: string
  detached?: boolean
  /** Extra server.properties for every node. */
  overrides?: Record<string, string>
  startTimeoutMs?: number
  install?: KafkaInstall
  /** TLS, mutual TLS and SASL_SSL listeners with an authorizer (single node only): see SecuredListenersState. */
  secured?: SecuredListenersOptions
}

/** Broker settings for a small, fast, single-machine Kafka: fewer threads, small internal topics, quick cleaner. */
const COMMON_PROPERTIES: Record<string, string> = {
  'controller.listener.names': 'CONTROLLER',
  'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
  'group.initial.rebalance.delay.ms': '0',
  'offsets.topic.num.partitions': '5',
  'transaction.state.log.num.partitions': '5',
  'share.coordinator.state.topic.num.partitions': '5',
  // The default 128 MiB dedupe buffer is allocated on the heap at start-up; Kafka's own test kit uses 2 MiB.
  'log.cleaner.dedupe.buffer.size': '2097152',
  'log.cleaner.backoff.ms': '1000',
  'log.initial.task.delay.ms': '100',
  'log.delete.delay.ms': '1000',
  'num.network.threads': '2',
  'background.threads': '2',
  'num.io.threads': '4',
  'num.recovery.threads.per.data.dir': '1',
  // tsconnect must create the topics it needs, as on clusters that disable auto-creation.
  'auto.create.topics.enable': 'false',
}

function replication(brokers: number): Record<string, string> {
  const rf = String(Math.min(brokers, 3))
  const isr = String(brokers >= 3 ? 2 : 1)
  return {
    'offsets.topic.replication.factor': rf,
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': isr,
    'share.coordinator.state.topic.replication.factor': rf,
    'share.coordinator.state.topic.min.isr': isr,
    'default.replication.factor': rf,
    'min.insync.replicas': isr,
  }
}

/** A Kafka cluster id: a random UUID in Kafka's base64url form (never starting with '-', which Kafka avoids). */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}

/** A running (or stopped) local Kafka. */
export class LocalKafka {
  readonly install: KafkaInstall
  readonly #state: LocalKafkaState
  readonly #props: Map<number, Record<string, string>>
  readonly #opts: LocalKafkaOptions

  private constructor(
    install: KafkaInstall,
    state: LocalKafkaState,
    props: Map<number, Record<string, string>>,
    opts: LocalKafkaOptions,
  ) {
    this.install = install
    this.#state = state
    this.#props = props
    this.#opts = opts
  }

  /** Formats and starts a new local Kafka, resolving when every broker serves requests. */
  static async start(opts: LocalKafkaOptions): Promise<LocalKafka> {
    const install = opts.install ?? ensureKafka()
    const brokers = opts.brokers ?? 1
    mkdirSync(opts.dir, { recursive: true })
    const controllerPort = opts.controllerPort || (await freePort())
    const brokerPorts: number[] = []
    for (let i = 0; i < brokers; i++) brokerPorts.push(opts.port ? opts.port + i : await freePort())

    const nodes: NodeState[] = []
    const props = new Map<number, Record<string, string>>()
    const base = { ...COMMON_PROPERTIES, ...replication(brokers) }
    if (opts.secured && brokers !== 1) throw new Error('secured listeners are only made for a single-node Kafka')
    const secured = opts.secured ? await securedListeners(join(opts.dir, 'tls'), opts.secured) : undefined
    if (brokers === 1) {
      const nodeId = 1
      const node: NodeState = {
        nodeId,
        roles: 'broker,controller',
        brokerPort: brokerPorts[0] as number,
        controllerPort,
        dir: join(opts.dir, `node-${nodeId}`),
      }
      nodes.push(node)
      props.set(nodeId, {
        ...base,
        'process.roles': 'broker,controller',
        'node.id': String(nodeId),
        'controller.quorum.voters': `${nodeId}@127.0.0.1:${controllerPort}`,
        listeners: `PLAINTEXT://127.0.0.1:${node.brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:${node.brokerPort}`,
        'inter.broker.listener.name': 'PLAINTEXT',
        'log.dirs': join(node.dir, 'data'),
        ...secured?.properties(node.brokerPort, controllerPort),
        ...opts.overrides,
      })
    } else {
      const voters = `100@127.0.0.1:${controllerPort}`
      const controller: NodeState = {
        nodeId: 100,
        roles: 'controller',
        brokerPort: 0,
        controllerPort,
        dir: join(opts.dir, 'controller-100'),
      }
      nodes.push(controller)
      props.set(100, {
        ...base,
        'process.roles': 'controller',
        'node.id': '100',
        'controller.quorum.voters': voters,
        listeners: `CONTROLLER://127.0.0.1:${controllerPort}`,
        'log.dirs': join(controller.dir, 'data'),
        ...opts.overrides,
      })
      brokerPorts.forEach((port, i) => {
        const nodeId = i + 1
        const node: NodeState = {
          nodeId,
          roles: 'broker',
          brokerPort: port,
          controllerPort: 0,
          dir: join(opts.dir, `broker-${nodeId}`),
        }
        nodes.push(node)
        props.set(nodeId, {
          ...base,
          'process.roles': 'broker',
          'node.id': String(nodeId),
          'controller.quorum.voters': voters,
          listeners: `PLAINTEXT://127.0.0.1:${port}`,
          'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
          'inter.broker.listener.name': 'PLAINTEXT',
          'log.dirs': join(node.dir, 'data'),
          // Fault tests want a dead broker noticed in seconds (defaults: 9 s session, 30 s lag).
          'broker.session.timeout.ms': '4000',
          'broker.heartbeat.interval.ms': '1000',
          'replica.lag.time.max.ms': '10000',
          ...opts.overrides,
        })
      })
    }

    const state: LocalKafkaState = {
      version: install.version,
      dir: opts.dir,
      clusterId: randomClusterId(),
      bootstrap: brokerPorts.map((p) => `127.0.0.1:${p}`).join(','),
      nodes,
      ...(secured ? { secured: secured.state } : {}),
    }
    const kafka = new LocalKafka(install, state, props, opts)
    try {
      // A controller alone forms the quorum; brokers then register with it. All start at once to save time.
      await Promise.all(nodes.map((n) => kafka.#startNode(n)))
    } catch (error) {
      await kafka.stop()
      throw error
    }
    return kafka
  }

  /** Rebuilds a handle from a saved state (for stop and status from another process); starts nothing. */
  static attach(state: LocalKafkaState): LocalKafka {
    return new LocalKafka(ensureKafka(state.version), state, new Map(), { dir: state.dir })
  }

  /** The bootstrap.servers string of the brokers. */
  get bootstrap(): string {
    return this.#state.bootstrap
  }

  /** The secured listeners, when started with `secured`. */
  get secured(): SecuredListenersState | undefined {
    return this.#state.secured
  }

  /** A JSON-able description, for LocalKafka.attach. */
  state(): LocalKafkaState {
    return structuredClone(this.#state)
  }

  /** The broker-role nodes, in node id order. */
  brokers(): NodeState[] {
    return this.#state.nodes.filter((n) => n.roles !== 'controller').map((n) => ({ ...n }))
  }

  /** True when every node's JVM is alive. */
  isRunning(): boolean {
    return this.#state.nodes.every((n) => n.pid !== undefined && isAlive(n.pid))
  }

  /** Kills a broker with SIGKILL (a crash, with no controlled shutdown); resolves once it is gone. */
  async killBroker(nodeId: number): Promise<void> {
    const node = this.#node(nodeId)
    if (node.pid !== undefined) await killProcess(node.pid)
  }

  /** Stops a broker with a controlled shutdown (SIGTERM). */
  async stopBroker(nodeId: number): Promise<void> {
    const node = this.#node(nodeId)
    if (node.pid !== undefined) await stopProcess(node.pid)
    node.pid = undefined
  }

  /** Starts a stopped or killed broker again on its old ports and data. */
  async restartBroker(nodeId: number): Promise<void> {
    const node = this.#node(nodeId)
    if (node.pid !== undefined) await stopProcess(node.pid)
    await this.#startNode(node)
  }

  /** Stops every node, brokers first (a controller going first would stall their controlled shutdown). */
  async stop(): Promise<void> {
    const byRole = (controller: boolean) => this.#state.nodes.filter((n) => (n.roles === 'controller') === controller)
    for (const group of [byRole(false), byRole(true)]) {
      await Promise.all(
        group.map(async (n) => {
          if (n.pid !== undefined) await stopProcess(n.pid)
          n.pid = undefined
        }),
      )
    }
  }

  #node(nodeId: number): NodeState {
    const node = this.#state.nodes.find((n) => n.nodeId === nodeId)
    if (!node) throw new Error(`no node ${nodeId} in this local Kafka`)
    return node
  }

  async #startNode(node: NodeState): Promise<void> {
    mkdirSync(node.dir, { recursive: true })
    const propsFile = join(node.dir, 'server.properties')
    const props = this.#props.get(node.nodeId)
    if (props) {
      writeFileSync(
        propsFile,
        `${Object.entries(props)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')}\n`,
      )
    }
    if (!existsSync(join(node.dir, 'data', 'meta.properties'))) {
      // Static voters (controller.quorum.voters) need no --standalone flag at format time.
      // SCRAM credentials live in the cluster metadata; writing them at format time needs no running broker.
      const scram = Object.entries(this.#opts.secured?.users ?? {}).flatMap(([name, password]) => [
        '--add-scram',
        `SCRAM-SHA-512=[name=${name},password=${password}]`,
      ])
      runJavaTool(this.install, 'kafka.tools.StorageTool', [
        'format',
        '-t',
        this.#state.clusterId,
        '-c',
        propsFile,
        ...scram,
      ])
    }
    const logFile = join(node.dir, 'server.log')
    const from = fileSize(logFile)
    const pid = spawnJava({
      install: this.install,
      mainClass: 'kafka.Kafka',
      args: [propsFile],
      heap: node.roles === 'controller' ? '256m' : (this.#opts.heap ?? '512m'),
      log4jConfig: join(this.install.configDir, 'log4j2-broker.xml'),
      logFile,
      profile: this.#opts.profile ?? 'functional',
      detached: this.#opts.detached ?? false,
      extraFlags: [`-Dkafka.logs.dir=${node.dir}`],
    })
    node.pid = pid
    const port = node.roles === 'controller' ? node.controllerPort : node.brokerPort
    await waitUntil(
      `Kafka node ${node.nodeId} (${node.roles}) on 127.0.0.1:${port}`,
      async () => logContains(logFile, 'Kafka Server started', from) && (await canConnect(port)),
      { timeoutMs: this.#opts.startTimeoutMs ?? 90_000, pid, logFile },
    )
  }
}

/** The broker's certificate and the properties of the secured listeners (see SecuredListenersState). */
async function securedListeners(tlsDir: string, opts: SecuredListenersOptions) {
  const ca: CertificateAuthority = createCertificateAuthority(tlsDir, 'tsconnect-local-kafka-ca')
  const broker = ca.issue('broker')
  const [ssl, mtls, saslSsl] = [await freePort(), await freePort(), await freePort()]
  const superUsers = ['User:ANONYMOUS', 'User:admin', 'User:CN=admin']
  const plainUsers = Object.entries(opts.users)
    .map(([name, password]) => `user_${name}="${password}"`)
    .join(' ')
  const state: SecuredListenersState = {
    caFile: ca.caFile,
    tlsDir,
    ssl: `127.0.0.1:${ssl}`,
    mtls: `127.0.0.1:${mtls}`,
    saslSsl: `127.0.0.1:${saslSsl}`,
    superUsers,
  }
  return {
    state,
    properties: (plainPort: number, controllerPort: number): Record<string, string> => ({
      listeners:
        `PLAINTEXT://127.0.0.1:${plainPort},CONTROLLER://127.0.0.1:${controllerPort},` +
        `SSL://127.0.0.1:${ssl},MTLS://127.0.0.1:${mtls},SASL_SSL://127.0.0.1:${saslSsl}`,
      'advertised.listeners':
        `PLAINTEXT://127.0.0.1:${plainPort},SSL://127.0.0.1:${ssl},` +
        `MTLS://127.0.0.1:${mtls},SASL_SSL://127.0.0.1:${saslSsl}`,
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,MTLS:SSL,SASL_SSL:SASL_SSL',
      'ssl.keystore.type': 'PKCS12',
      'ssl.keystore.location': broker.p12File,
      'ssl.keystore.password': broker.password,
      'ssl.key.password': broker.password,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': ca.caFile,
      'listener.name.mtls.ssl.client.auth': 'required',
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-512',
      'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': superUsers.join(';'),
    }),
  }
}
