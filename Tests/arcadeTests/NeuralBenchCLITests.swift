import Foundation
import Testing

/// `bench nn --torch`: a PyTorch side that cannot run is one clear line and a non-zero exit, not a number.
@Test func benchNNReportsAFailingTorchReferenceInOneLine() throws {
  try withScratch { folder in
    let script = folder.appendingPathComponent("torch_reference.py")
    try Data("raise SystemExit(3)\n".utf8).write(to: script)
    let failing = try arcade(["bench", "nn", "mlp", "--seconds", "0.05", "--reps", "1", "--torch", "/bin/false",
                              "--torch-script", script.path], in: folder)
    #expect(failing.status != 0)
    #expect(failing.stderr.contains("torch_reference.py mlp failed (exit 1)"), "\(failing.stderr)")
    let missing = try arcade(["bench", "nn", "mlp", "--seconds", "0.05", "--reps", "1", "--torch", "/bin/false",
                              "--torch-script", folder.appendingPathComponent("nope.py").path], in: folder)
    #expect(missing.status != 0 && missing.stderr.contains("no PyTorch reference script there"), "\(missing.stderr)")
  }
}

/// `ARCADE_MATRIX_KERNEL` picks a slower matrix kernel; a name it does not know, or a kernel this build cannot
/// run (a debug build runs only the SSE one), stops every command with one line naming it.
@Test func matrixKernelVariableIsFollowedOrRefused() throws {
  try withScratch { folder in
    let gemm = ["bench", "nn", "gemm", "--gemm-shape", "9x20x7", "--seconds", "0.01"]
    let sse = try arcade(gemm, in: folder, environment: ["ARCADE_MATRIX_KERNEL": "sse"])
    #expect(sse.status == 0 && sse.lines.count == 2, "\(sse.stderr)")
    #expect(sse.lines.allSatisfy { $0.contains("\"kernel\":\"4x8\"") && $0.contains("\"isa\":\"baseline\"") }, "\(sse.stdout)")
    let unknown = try arcade(["list"], in: folder, environment: ["ARCADE_MATRIX_KERNEL": "avx1024"])
    #expect(unknown.status == 2 && unknown.stdout.isEmpty)
    #expect(unknown.stderr == "Error: ARCADE_MATRIX_KERNEL: unknown kernel 'avx1024' (expected sse, avx2 or avx512)\n")
    #if DEBUG
    let unavailable = try arcade(gemm, in: folder, environment: ["ARCADE_MATRIX_KERNEL": "avx512"])
    #expect(unavailable.status == 2)
    #expect(unavailable.stderr.contains("ARCADE_MATRIX_KERNEL=avx512: this debug build runs at most the 4x8 kernel"))
    #endif
  }
}
