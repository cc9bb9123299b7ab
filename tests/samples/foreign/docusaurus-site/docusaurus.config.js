module.exports = {
  title: "Store",
  url: "https://docs.example.org",
  baseUrl: "/docs/",
  trailingSlash: false,
  presets: [["classic", { docs: { routeBasePath: "/" } }]],
};
