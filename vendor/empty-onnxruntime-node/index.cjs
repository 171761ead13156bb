// Nook runs transformers.js in the browser only (onnxruntime-web). This stand-in keeps the real
// onnxruntime-node (a CUDA download and ~288 MB) out of node_modules; see package.json overrides.
throw new Error('onnxruntime-node is not installed: Nook runs transformers.js in the browser on onnxruntime-web only.');
