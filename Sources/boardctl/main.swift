import BoardCLI

await BoardctlCommand.runMain()
