// gzip through the platform's streams (the browser worker and Node 20 both have them).

async function through(data: Uint8Array, stream: GenericTransformStream): Promise<Uint8Array> {
  const out = new Response(new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export const gunzip = (data: Uint8Array) => through(data, new DecompressionStream("gzip"));
export const gzip = (data: Uint8Array) => through(data, new CompressionStream("gzip"));

export const isGzip = (data: Uint8Array) => data.length > 2 && data[0] === 0x1f && data[1] === 0x8b;
