// Why a frame was dropped. The numeric order is the validation order of docs/wire.md, and
// tools/wire/frame.ts uses the same numbers and names.

export const enum Drop {
  None = 0,
  Short = 1,
  Long = 2,
  Version = 3,
  Flags = 4,
  Length = 5,
  Addr = 6,
  Type = 7,
  Payload = 8,
  Tag = 9,
}
