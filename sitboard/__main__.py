from sitboard.cli import main

raise SystemExit(main())
