/// The version that `trailscan --version` prints and `runs.version` stores.
public let trailscanVersion = "0.1.0"
