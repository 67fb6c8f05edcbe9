import BoardSimulators

await SimulatorCommand.runMain()
