// Everything is inline in include/CSpinWait.h; SwiftPM needs one source file per C target.
