#!/usr/bin/env node
'use strict';
/*
 * Publishes records to jobstream's topics the way its Java services do: Avro single-object
 * encoding (C3 01, the writer schema's 8-byte CRC-64-AVRO fingerprint little-endian, the Avro
 * binary body), string keys, an idempotent producer and Kafka's Java-compatible partitioner, so a
 * key lands on the partition a Java producer would pick.
 *
 * Library:
 *   const { loadType, encode, publish } = require('./produce');
 *   const type = loadType('ContentIngested');
 *   await publish({ brokers: ['localhost:9092'], topic: 'content.posts',
 *                   records: [{ key: 'post-1', value: encode(type, { postId: 'post-1', ... }) }] });
 *
 * Command line: one JSON object per stdin line, {"key": "...", "value": {...}} encoded with the
 * schema, or {"key": "...", "rawBase64": "..."} sent as it is (to see how jobstream treats bytes
 * it cannot read):
 *   node produce.js --brokers localhost:9092 --topic content.posts --schema ContentIngested < posts.ndjson
 */
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const avro = require('avsc');
const { Kafka, Partitioners, logLevel } = require('kafkajs');

/** The repository's schema folder: the same .avsc files the schemas jar carries under avro/. */
const SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schemas', 'src', 'main', 'avro');

/** The Avro type of a schema file, by record name (ContentIngested) or path to an .avsc. */
function loadType(nameOrFile, schemaDir = SCHEMA_DIR) {
  const file = nameOrFile.endsWith('.avsc') ? nameOrFile : path.join(schemaDir, `${nameOrFile}.avsc`);
  return avro.Type.forSchema(JSON.parse(fs.readFileSync(file, 'utf8')));
}

// CRC-64-AVRO (Rabin) from the Avro specification. avsc offers md5 and sha256 fingerprints only,
// and single-object encoding needs this one. BigInt keeps all 64 bits.
const EMPTY = 0xc15d213aa4d7a795n;
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) {
    fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
  }
  return fp;
});

function rabin(bytes) {
  let fp = EMPTY;
  for (const b of bytes) {
    fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(b)) & 0xffn)];
  }
  return fp;
}

/**
 * The schema's Parsing Canonical Form: avsc's getSchema() without custom attributes (no doc,
 * defaults or logicalType; full names; Avro's attribute order), as JSON without whitespace.
 */
function canonicalForm(type) {
  return JSON.stringify(type.getSchema({ exportAttrs: false }));
}

/** C3 01 and the 8-byte little-endian fingerprint: the prefix of every record of this type. */
function header(type) {
  const out = Buffer.alloc(10);
  out[0] = 0xc3;
  out[1] = 0x01;
  out.writeBigUInt64LE(rabin(Buffer.from(canonicalForm(type), 'utf8')), 2);
  return out;
}

/** One value in single-object encoding; fields left out take their schema default. */
function encode(type, value) {
  return Buffer.concat([header(type), type.toBuffer(type.clone(value))]);
}

/** Sends the records in order with an idempotent producer, and waits for every acknowledgement. */
async function publish({ brokers, topic, records, clientId = 'jobstream-node-producer' }) {
  const kafka = new Kafka({ clientId, brokers, logLevel: logLevel.WARN });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records.map(({ key, value }) => ({ key, value })) });
  } finally {
    await producer.disconnect();
  }
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`expected --name value pairs, got ${argv.slice(i).join(' ')}`);
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['brokers', 'topic', 'schema']) {
    if (!args[required]) {
      throw new Error(`--${required} is required`);
    }
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const type = loadType(args.schema);
  const records = [];
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (!line.trim()) {
      continue;
    }
    const { key, value, rawBase64 } = JSON.parse(line);
    records.push({ key, value: rawBase64 !== undefined ? Buffer.from(rawBase64, 'base64') : encode(type, value) });
  }
  await publish({ brokers: args.brokers.split(','), topic: args.topic, records });
  console.log(`published records=${records.length} topic=${args.topic} schema=${type.name} fingerprint=${header(type).subarray(2).toString('hex')}`);
}

module.exports = { SCHEMA_DIR, loadType, canonicalForm, rabin, header, encode, publish };

if (require.main === module) {
  main().catch((error) => {
    console.error(`produce failed: ${error.message}`);
    process.exit(1);
  });
}
