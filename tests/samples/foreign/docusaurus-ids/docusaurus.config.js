module.exports = {
  title: "Relay",
  url: "https://relay.example.org",
  baseUrl: "/handbook/",
  onBrokenLinks: "throw",
  presets: [["classic", { docs: { sidebarPath: "./sidebars.js" } }]],
};
