// Reading a file or zip entry whole under a byte limit lives with the FIT decoder, which needs it too.
export { readCapped, inMemory, type CappedBytes } from '@bronze/fit';
