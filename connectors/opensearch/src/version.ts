/** The version of the search connector package. */
export const VERSION = '1.0.0'
