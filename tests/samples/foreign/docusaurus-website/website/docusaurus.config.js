// The site is built from website/; the manual's pages stay in the repository's docs/ folder.
module.exports = {
  title: "Beacon",
  url: "https://beacon.example.org",
  baseUrl: "/",
  onBrokenLinks: "throw",
  presets: [["classic", { docs: { path: "../docs", routeBasePath: "manual" } }]],
};
