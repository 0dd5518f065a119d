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
