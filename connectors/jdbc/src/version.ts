/** The version every plugin of this package reports. */
export const VERSION = '1.0.0'
