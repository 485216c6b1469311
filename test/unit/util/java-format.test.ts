import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { javaDoubleToString, javaFloatToString } from '../../../src/util/java-format.ts'

// Expected strings are what Java 21's Double.toString and Float.toString print for the same values.
describe('javaDoubleToString', () => {
  it('prints integral doubles with a fractional zero', () => {
    assert.equal(javaDoubleToString(1), '1.0')
    assert.equal(javaDoubleToString(-42), '-42.0')
    assert.equal(javaDoubleToString(0), '0.0')
    assert.equal(javaDoubleToString(-0), '-0.0')
  })
  it('prints plain notation between 10^-3 and 10^7', () => {
    assert.equal(javaDoubleToString(12.34), '12.34')
    assert.equal(javaDoubleToString(0.001), '0.001')
    assert.equal(javaDoubleToString(9999999), '9999999.0')
    assert.equal(javaDoubleToString(123456.789), '123456.789')
  })
  it('prints computerized scientific notation outside that range', () => {
    assert.equal(javaDoubleToString(1e7), '1.0E7')
    assert.equal(javaDoubleToString(1.5e-4), '1.5E-4')
    assert.equal(javaDoubleToString(4398046511104), '4.398046511104E12')
    assert.equal(javaDoubleToString(1.7976931348623157e308), '1.7976931348623157E308')
    assert.equal(javaDoubleToString(Number.MIN_VALUE), '4.9E-324')
  })
  it('prints NaN and the infinities by name', () => {
    assert.equal(javaDoubleToString(Number.NaN), 'NaN')
    assert.equal(javaDoubleToString(Number.POSITIVE_INFINITY), 'Infinity')
    assert.equal(javaDoubleToString(Number.NEGATIVE_INFINITY), '-Infinity')
  })
})

describe('javaFloatToString', () => {
  it('prints the shortest digits that identify the float', () => {
    assert.equal(javaFloatToString(12.34), '12.34')
    assert.equal(javaFloatToString(Math.fround(0.1)), '0.1')
    assert.equal(javaFloatToString(1), '1.0')
    assert.equal(javaFloatToString(3.4028234663852886e38), '3.4028235E38')
    assert.equal(javaFloatToString(1e-5), '1.0E-5')
  })
})
