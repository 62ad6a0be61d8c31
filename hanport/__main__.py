from hanport.cli import main

raise SystemExit(main())
